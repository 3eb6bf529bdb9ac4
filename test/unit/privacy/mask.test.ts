import { describe, expect, it } from 'vitest';
import { maskAddress, maskName, maskPhone } from '../../../api/src/domain/privacy/mask.js';

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['+8613812345678', '138****5678'],
    ['+86 138-1234-5678', '138****5678'],
    ['138 1234 5678', '138****5678'],
    ['138****5678', '138****5678'],
  ])('%s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it('keeps three and four digits of other long numbers, and only the last of short ones', () => {
    expect(maskPhone('0571-88886666')).toBe('057*****6666');
    expect(maskPhone('95588')).toBe('****8');
    expect(maskPhone('')).toBe('');
  });
});

describe('maskName', () => {
  it.each([
    ['张三丰', '张**'],
    ['张三', '张*'],
    ['Li', 'L*'],
    [' 欧阳娜娜 ', '欧***'],
    ['张', '*'],
    ['', ''],
  ])('%s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('treats an emoji sequence as one character', () => {
    expect(maskName('👨‍👩‍👧小王')).toBe('👨‍👩‍👧**');
  });
});

describe('maskAddress', () => {
  it('keeps province, city and district and hides street and detail behind a fixed mask', () => {
    expect(
      maskAddress({
        province: '浙江省',
        city: '杭州市',
        district: '西湖区',
        street: '文新街道',
        detail: '文三路 100 号 3 幢 201',
      }),
    ).toBe('浙江省 杭州市 西湖区 ****');
    expect(maskAddress({ province: '浙江省', city: '杭州市', district: '西湖区', detail: '1' })).toBe(
      '浙江省 杭州市 西湖区 ****',
    );
  });

  it('shows a municipality once and skips missing parts', () => {
    expect(
      maskAddress({ province: '北京市', city: '北京市', district: '朝阳区', detail: '建国路 88 号' }),
    ).toBe('北京市 朝阳区 ****');
    expect(maskAddress({ province: '广东省', city: null, district: null, detail: '东莞某镇' })).toBe(
      '广东省 ****',
    );
  });

  it('adds no mask when there is no detail to hide', () => {
    expect(maskAddress({ province: '浙江省', city: '杭州市', district: null, street: ' ', detail: '' })).toBe(
      '浙江省 杭州市',
    );
  });
});
