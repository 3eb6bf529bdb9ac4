import { describe, expect, it } from 'vitest';
import type { AddressInput } from '../../../api/src/domain/address/address-types.js';
import { codes, parse, parsedOk } from './address-test-kit.js';

describe('channel fields', () => {
  it('validates fields against the data', () => {
    const parsed = parsedOk({ province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路90号' });
    expect(`${parsed.city.code}/${parsed.district?.code}`).toBe('330100/330106');
    expect(parsed.method).toBe('FIELDS');
    expect(parsed.detail).toBe('文三路90号');
  });

  it('accepts short names and 市辖区 in fields', () => {
    expect(codes({ province: '浙江', city: '杭州', district: '西湖区', detail: '' })).toBe(
      '330000/330100/330106',
    );
    expect(codes({ province: '北京', city: '市辖区', district: '海淀区', detail: 'x' })).toBe(
      '110000/110100/110108',
    );
    expect(codes({ province: '北京', city: '北京市', district: '朝阳', detail: 'x' })).toBe(
      '110000/110100/110105',
    );
  });

  it('takes the district from the text when the fields stop at the city', () => {
    const parsed = parsedOk({ province: '浙江', city: '杭州', detail: '西湖区文三路90号' });
    expect(parsed.district?.code).toBe('330106');
    expect(parsed.method).toBe('MIXED');
    expect(parsed.detail).toBe('文三路90号');
  });

  it('strips a detail line that repeats the region', () => {
    const parsed = parsedOk({
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '浙江省杭州市西湖区文三路90号',
    });
    expect(parsed.detail).toBe('文三路90号');
    expect(parsed.method).toBe('FIELDS');
  });

  it('accepts levels shifted the way channels shift them', () => {
    const xiantao = parsedOk({ province: '湖北省', city: '仙桃市', district: '沙嘴街道', detail: 'x' });
    expect(xiantao.district?.code).toBe('429004');
    expect(xiantao.street).toBe('沙嘴街道');
    const dongguan = parsedOk({ province: '广东省', city: '东莞市', district: '虎门镇', detail: 'x' });
    expect(dongguan.street).toBe('虎门镇');
    expect(dongguan.district).toBeNull();
  });

  it('reads a field that holds several levels at once', () => {
    expect(codes({ province: '浙江省杭州市', district: '西湖区', detail: 'x' })).toBe('330000/330100/330106');
    expect(codes({ province: '北京市', city: '朝阳区', district: '三里屯街道', detail: 'x' })).toBe(
      '110000/110100/110105',
    );
  });

  it('keeps the city when the district field names no district', () => {
    const parsed = parsedOk({ province: '浙江省', city: '杭州市', district: '其他区', detail: 'x' });
    expect(parsed.city.code).toBe('330100');
    expect(parsed.district).toBeNull();
    expect(parsed.confidence).toBe(0.7);
  });

  it('passes the street field through', () => {
    expect(
      parsedOk({ province: '浙江', city: '杭州', district: '西湖区', street: '文新街道', detail: 'x' })
        .street,
    ).toBe('文新街道');
  });
});

describe('conflicting fields', () => {
  it('rejects a city outside the province', () => {
    const parsed = parse({ province: '浙江', city: '广州', detail: '天河路' });
    expect(parsed).toEqual({
      ok: false,
      reason: 'CONFLICTING_FIELDS',
      message: 'the address fields name regions that do not nest: 浙江省 / 广东省广州市',
      confidence: 0.3,
      partial: { province: { code: '330000', name: '浙江省' } },
    });
  });

  it('rejects a district outside the city', () => {
    expect(parse({ province: '浙江', city: '杭州', district: '天河区', detail: 'x' })).toMatchObject({
      ok: false,
      reason: 'CONFLICTING_FIELDS',
    });
  });

  it('rejects a detail line that names another region than the fields', () => {
    const parsed = parse({
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '广东省广州市天河区天河路',
    });
    expect(parsed).toMatchObject({
      ok: false,
      reason: 'CONFLICTING_FIELDS',
      message: 'the address fields name 浙江省杭州市西湖区 but the text names 广东省广州市天河区',
    });
  });

  it('does not mistake one stray place name in the detail for a conflict', () => {
    expect(codes({ province: '浙江省', city: '杭州市', district: '西湖区', detail: '南京市场3楼' })).toBe(
      '330000/330100/330106',
    );
  });
});

describe('failure reasons', () => {
  const reasonOf = (input: AddressInput | string) => {
    const parsed = parse(input);
    return parsed.ok ? 'OK' : parsed.reason;
  };

  it('EMPTY: nothing, whitespace or punctuation', () => {
    expect(reasonOf('')).toBe('EMPTY');
    expect(reasonOf('  ，，\n ')).toBe('EMPTY');
    expect(reasonOf({ province: ' ', city: '', district: undefined, detail: '' })).toBe('EMPTY');
    expect(reasonOf({ detail: null as unknown as string })).toBe('EMPTY');
    expect(reasonOf({ province: 42 as unknown as string, detail: {} as unknown as string })).toBe('EMPTY');
  });

  it('NOT_CHINESE_ADDRESS: Latin, digits, emoji, Japanese', () => {
    expect(reasonOf('1600 Amphitheatre Pkwy, Mountain View, CA 94043')).toBe('NOT_CHINESE_ADDRESS');
    expect(reasonOf('asdfghjkl qwerty')).toBe('NOT_CHINESE_ADDRESS');
    expect(reasonOf('🙂🙂🎉')).toBe('NOT_CHINESE_ADDRESS');
    expect(reasonOf('ＺＨＥＪＩＡＮＧ　１２３')).toBe('NOT_CHINESE_ADDRESS');
    expect(reasonOf('東京都新宿区西新宿２丁目８−１ とうきょう')).toBe('NOT_CHINESE_ADDRESS');
  });

  it('UNSUPPORTED_REGION: Hong Kong, Macao, Taiwan', () => {
    expect(reasonOf('香港九龙旺角弥敦道')).toBe('UNSUPPORTED_REGION');
    expect(reasonOf('台湾省台北市信义区')).toBe('UNSUPPORTED_REGION');
    expect(reasonOf({ province: '澳门特别行政区', detail: '大堂区' })).toBe('UNSUPPORTED_REGION');
  });

  it('NO_PROVINCE: Chinese text naming no region', () => {
    expect(reasonOf('文三路90号3栋2单元501室')).toBe('NO_PROVINCE');
    expect(reasonOf('东京都新宿区')).toBe('NO_PROVINCE');
  });

  it('NO_CITY: a province alone, with the province as partial', () => {
    expect(parse('浙江省文三路90号')).toEqual({
      ok: false,
      reason: 'NO_CITY',
      message: 'the address names 浙江省 but no city in it',
      confidence: 0.3,
      partial: { province: { code: '330000', name: '浙江省' } },
    });
  });

  it('UNKNOWN_REGION: a field that names nothing in the data, without echoing it', () => {
    const parsed = parse({ province: '火星省', city: '杭州市', detail: 'x' });
    expect(parsed).toMatchObject({ ok: false, reason: 'UNKNOWN_REGION' });
    expect(!parsed.ok && parsed.message).not.toContain('火星');
    expect(reasonOf({ province: 'Zhejiang', city: '杭州市', detail: '文三路' })).toBe('UNKNOWN_REGION');
  });

  it('CONFLICTING_FIELDS: see above', () => {
    expect(reasonOf({ province: '四川', city: '深圳', detail: 'x' })).toBe('CONFLICTING_FIELDS');
  });

  it('AMBIGUOUS: a district name shared by several cities, with what they share as partial', () => {
    const alone = parse('朝阳区建国路1号');
    expect(alone).toMatchObject({ ok: false, reason: 'AMBIGUOUS', confidence: 0 });
    expect(!alone.ok && alone.message).toBe(
      '2 regions fit the address equally well: 北京市朝阳区, 吉林省长春市朝阳区',
    );
    expect(parse('江苏省鼓楼区中山路')).toMatchObject({
      ok: false,
      reason: 'AMBIGUOUS',
      partial: { province: { code: '320000', name: '江苏省' } },
    });
    expect(parse({ province: '江苏', district: '鼓楼区', detail: 'x' })).toMatchObject({
      ok: false,
      reason: 'AMBIGUOUS',
    });
  });

  it('never puts the input text into a failure message', () => {
    const secret = '张三13800138000';
    for (const detail of [secret, `${secret}文三路`, `朝阳区${secret}`, `浙江省${secret}`]) {
      const parsed = parse(detail);
      expect(!parsed.ok && parsed.message).not.toContain('13800138000');
    }
  });
});
