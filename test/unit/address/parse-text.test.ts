import { describe, expect, it } from 'vitest';
import { ADDRESS_LIMITS } from '../../../api/src/domain/address/address-parser.js';
import { codes, parse, parsedOk } from './address-test-kit.js';

describe('free text', () => {
  it('reads province, city, district and keeps the rest as detail', () => {
    expect(parse('浙江省杭州市西湖区文三路 90 号')).toEqual({
      ok: true,
      province: { code: '330000', name: '浙江省' },
      city: { code: '330100', name: '杭州市' },
      district: { code: '330106', name: '西湖区' },
      street: null,
      detail: '文三路 90 号',
      confidence: 1,
      method: 'TEXT',
    });
  });

  it('reads text without a province', () => {
    expect(codes('杭州市西湖区文三路90号')).toBe('330000/330100/330106');
    expect(codes('吉林市船营区解放路')).toBe('220000/220200/220204');
  });

  it('reads text without a city when the district is unique in its province', () => {
    const parsed = parsedOk('浙江省西湖区文三路90号');
    expect(parsed.district?.code).toBe('330106');
    expect(parsed.confidence).toBe(0.95);
  });

  it('reads a district alone when its name is unique in the country', () => {
    const parsed = parsedOk('浦东新区世纪大道100号');
    expect(`${parsed.city.code}/${parsed.district?.code}`).toBe('310100/310115');
    expect(parsed.confidence).toBe(0.85);
  });

  it('ignores spaces, commas, full-width characters and lead-in words', () => {
    expect(codes('浙江省 杭州市，西湖区 文三路')).toBe('330000/330100/330106');
    expect(codes('浙江省,杭州市、西湖区')).toBe('330000/330100/330106');
    expect(parsedOk('浙江省杭州市西湖区文三路９０号').detail).toBe('文三路90号');
    expect(codes('中国浙江省杭州市西湖区')).toBe('330000/330100/330106');
    expect(codes('收货地址：浙江省杭州市西湖区')).toBe('330000/330100/330106');
  });

  it('finds the region after a name and phone written first, and keeps that text in the detail', () => {
    const parsed = parsedOk('文三路90号 浙江省杭州市西湖区');
    expect(parsed.district?.code).toBe('330106');
    expect(parsed.detail).toBe('文三路90号');
    expect(parsed.confidence).toBe(0.9);
  });

  it('does not take a road named after a city for the city', () => {
    expect(parse('南京路100号').ok).toBe(false);
    const shanghai = parsedOk('上海市南京路100号');
    expect(shanghai.city.code).toBe('310100');
    expect(shanghai.district).toBeNull();
    expect(shanghai.detail).toBe('南京路100号');
    expect(parsedOk('北京市朝阳门北大街').district).toBeNull();
  });

  it('prefers the reading that names more levels', () => {
    expect(codes('内江市中区')).toBe('510000/511000/511002');
    expect(codes('唐山路北区')).toBe('130000/130200/130203');
    expect(codes('江苏镇江丹徒区')).toBe('320000/321100/321112');
  });

  it('reads a district named after its city as that district', () => {
    expect(codes('湖南省怀化市洪江管理区')).toBe('430000/431200/431271');
    expect(codes('吉林松原经济开发区')).toBe('220000/220700/220771');
  });

  it('does not split a road name into a district short form', () => {
    expect(codes('四川省内江市中山路150号')).toBe('510000/511000/-');
    expect(codes('青岛市南京路')).toBe('370000/370200/-');
  });

  it('returns a city without district, at lower confidence, when no district is named', () => {
    const parsed = parsedOk('杭州市文三路90号');
    expect(parsed.district).toBeNull();
    expect(parsed.confidence).toBe(0.7);
  });
});

describe('short names', () => {
  it('accepts short province, city and district names', () => {
    expect(codes('广东深圳南山区科技园')).toBe('440000/440300/440305');
    expect(codes('深圳南山区')).toBe('440000/440300/440305');
    expect(codes('浙江杭州萧山')).toBe('330000/330100/330109');
    expect(codes('南京鼓楼')).toBe('320000/320100/320106');
  });

  it('lowers confidence a little for each short name', () => {
    expect(parsedOk('广东深圳南山区').confidence).toBe(0.9);
  });

  it('accepts a district short name only inside its city', () => {
    expect(codes('北京朝阳建国路')).toBe('110000/110100/110105');
    expect(codes('辽宁朝阳双塔区')).toBe('210000/211300/211302');
  });

  it('accepts development zones by their everyday names', () => {
    expect(codes('江苏省苏州市工业园区星湖街')).toBe('320000/320500/320576');
    expect(codes('长春市高新区')).toBe('220000/220100/220173');
  });
});

describe('municipalities', () => {
  it('reports the municipality as the city', () => {
    const parsed = parsedOk('北京市朝阳区建国路88号');
    expect(parsed.province).toEqual({ code: '110000', name: '北京市' });
    expect(parsed.city).toEqual({ code: '110100', name: '北京市' });
    expect(parsed.district).toEqual({ code: '110105', name: '朝阳区' });
  });

  it('reads the municipality named twice, short, or with 市辖区', () => {
    expect(codes('北京市北京市朝阳区')).toBe('110000/110100/110105');
    expect(codes('上海浦东新区张江路')).toBe('310000/310100/310115');
    expect(codes('天津市市辖区和平区')).toBe('120000/120100/120101');
  });

  it('puts Chongqing counties under the county-level city code', () => {
    expect(codes('重庆市城口县葛城街道')).toBe('500000/500200/500229');
    expect(codes('重庆渝中区')).toBe('500000/500100/500103');
  });

  it('resolves a municipality without district to its city at lower confidence', () => {
    const parsed = parsedOk('北京市某某路1号');
    expect(parsed.city.code).toBe('110100');
    expect(parsed.district).toBeNull();
    expect(parsed.confidence).toBe(0.7);
  });
});

describe('autonomous regions, prefectures and counties', () => {
  it('reads autonomous regions by full and short name', () => {
    expect(codes('内蒙古自治区呼和浩特市赛罕区')).toBe('150000/150100/150105');
    expect(codes('内蒙古呼和浩特市赛罕区')).toBe('150000/150100/150105');
    expect(codes('广西南宁市青秀区')).toBe('450000/450100/450103');
    expect(codes('新疆乌鲁木齐市天山区')).toBe('650000/650100/650102');
    expect(codes('西藏拉萨市城关区')).toBe('540000/540100/540102');
    expect(codes('宁夏银川市兴庆区')).toBe('640000/640100/640104');
  });

  it('reads autonomous prefectures by full name, short name and 州 form', () => {
    expect(codes('吉林省延边朝鲜族自治州延吉市')).toBe('220000/222400/222401');
    expect(codes('吉林延边延吉市')).toBe('220000/222400/222401');
    expect(codes('湖北恩施州利川市')).toBe('420000/422800/422802');
    expect(codes('青海海南州共和县')).toBe('630000/632500/632521');
    expect(codes('海南省海口市龙华区')).toBe('460000/460100/460106');
  });

  it('reads autonomous counties by short name inside their city', () => {
    expect(codes('湖北省宜昌市长阳县')).toBe('420000/420500/420528');
  });

  it('reads county-level cities directly under a province', () => {
    const parsed = parsedOk('湖北省仙桃市沙嘴街道');
    expect(parsed.city).toEqual({ code: '429000', name: '省直辖县级行政区划' });
    expect(parsed.district).toEqual({ code: '429004', name: '仙桃市' });
    expect(parsed.confidence).toBe(1);
  });

  it('reads towns of cities without districts as the street', () => {
    const parsed = parsedOk('广东省东莞市虎门镇银龙路');
    expect(parsed.city.code).toBe('441900');
    expect(parsed.district).toBeNull();
    expect(parsed.street).toBe('虎门镇');
    expect(parsed.detail).toBe('银龙路');
    expect(parsed.confidence).toBe(1);
  });
});

describe('noise and hostile input', () => {
  it('reads through emoji and Latin garbage', () => {
    expect(codes('浙江省🎉杭州市💥西湖区文三路')).toBe('330000/330100/330106');
    expect(codes('xx##浙江省杭州市西湖区')).toBe('330000/330100/330106');
    expect(codes('🏠北京市朝阳区')).toBe('110000/110100/110105');
    expect(codes('浙江省杭州市西湖区ヤマト運輸営業所')).toBe('330000/330100/330106');
  });

  it('caps the work on extremely long strings', () => {
    const long = `浙江省杭州市西湖区${'文三路'.repeat(200_000)}`;
    const parsed = parsedOk(long);
    expect(parsed.district?.code).toBe('330106');
    expect(parsed.detail.length).toBeLessThanOrEqual(ADDRESS_LIMITS.detailChars);
    // Megabyte inputs come back with a bounded answer (speed is measured by `npm run bench:address`).
    for (const input of ['北京'.repeat(300_000), '浙'.repeat(1_000_000), '朝阳区'.repeat(300_000)]) {
      const result = parse(input);
      if (result.ok) expect(result.detail.length).toBeLessThanOrEqual(ADDRESS_LIMITS.detailChars);
      else expect(result.message.length).toBeLessThan(500);
    }
    const fields = parse({
      province: '浙'.repeat(100_000),
      city: '杭'.repeat(100_000),
      detail: '市'.repeat(1_000_000),
    });
    expect(fields.ok ? fields.detail.length : fields.message.length).toBeLessThan(
      ADDRESS_LIMITS.detailChars + 500,
    );
  });

  it('handles repeated region names without blowing up', () => {
    expect(parsedOk('北京北京北京北京北京北京北京北京北京北京朝阳区').city.code).toBe('110100');
  });
});
