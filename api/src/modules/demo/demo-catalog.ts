/**
 * What demo orders are made of. Buyers are plainly made up (张三, 李小明, 王测试 with 1380013xxxx
 * numbers and 示例路 / 演示小区 street lines); regions are real so routing and region filters
 * have something true to work on; products and categories look like a small lifestyle shop's.
 */

export const SURNAMES = [
  '张',
  '李',
  '王',
  '赵',
  '钱',
  '孙',
  '周',
  '吴',
  '郑',
  '刘',
  '陈',
  '杨',
  '黄',
  '林',
] as const;
export const GIVEN_NAMES = [
  '三',
  '四',
  '五',
  '六',
  '小明',
  '小红',
  '小刚',
  '测试',
  '演示',
  '示例',
  '样例',
] as const;

export interface DemoRegion {
  province: string;
  /** How JD spells the province (without 省 / 市). */
  provinceShort: string;
  provinceCode: string;
  city: string;
  cityCode: string;
  district: string;
  districtCode: string;
  /** The street (街道) the made-up address lies in. */
  street: string;
}

export const REGIONS: readonly DemoRegion[] = [
  ['浙江省', '浙江', '33', '杭州市', '3301', '西湖区', '330106', '西溪街道'],
  ['上海市', '上海', '31', '上海市', '3101', '浦东新区', '310115', '陆家嘴街道'],
  ['北京市', '北京', '11', '北京市', '1101', '朝阳区', '110105', '望京街道'],
  ['广东省', '广东', '44', '深圳市', '4403', '南山区', '440305', '粤海街道'],
  ['广东省', '广东', '44', '广州市', '4401', '天河区', '440106', '石牌街道'],
  ['江苏省', '江苏', '32', '南京市', '3201', '鼓楼区', '320106', '湖南路街道'],
  ['江苏省', '江苏', '32', '苏州市', '3205', '姑苏区', '320508', '平江街道'],
  ['四川省', '四川', '51', '成都市', '5101', '武侯区', '510107', '玉林街道'],
  ['湖北省', '湖北', '42', '武汉市', '4201', '洪山区', '420111', '珞南街道'],
  ['陕西省', '陕西', '61', '西安市', '6101', '雁塔区', '610113', '小寨路街道'],
  ['山东省', '山东', '37', '青岛市', '3702', '市南区', '370202', '八大关街道'],
  ['福建省', '福建', '35', '厦门市', '3502', '思明区', '350203', '鼓浪屿街道'],
  ['湖南省', '湖南', '43', '长沙市', '4301', '岳麓区', '430104', '橘子洲街道'],
  ['重庆市', '重庆', '50', '重庆市', '5001', '渝北区', '500112', '龙溪街道'],
  ['天津市', '天津', '12', '天津市', '1201', '南开区', '120104', '学府街道'],
  ['河南省', '河南', '41', '郑州市', '4101', '金水区', '410105', '经八路街道'],
  ['辽宁省', '辽宁', '21', '沈阳市', '2101', '和平区', '210102', '太原街街道'],
  ['云南省', '云南', '53', '昆明市', '5301', '五华区', '530102', '华山街道'],
].map(([province, provinceShort, provinceCode, city, cityCode, district, districtCode, street]) => ({
  province,
  provinceShort,
  provinceCode,
  city,
  cityCode,
  district,
  districtCode,
  street,
}));

export const STREET_NAMES = ['示例路', '演示大道', '测试街', '样例巷', '虚构路'] as const;
export const COMPOUNDS = ['演示小区', '示例花园', '测试公寓', '样例大厦', '演示家园'] as const;

export interface DemoCategory {
  name: string;
  /** The category id the marketplaces send (Taobao cid, JD categoryId, Douyin third_cid). */
  cid: number;
  /** The web shop's own category slug. */
  slug: string;
}

const CATEGORY = {
  drinkware: { name: '杯具水具', cid: 50012345, slug: 'drinkware' },
  home: { name: '家居日用', cid: 50012399, slug: 'home' },
  apparel: { name: '服饰', cid: 50000671, slug: 'apparel' },
  audio: { name: '影音耳机', cid: 652, slug: 'audio' },
  accessories: { name: '数码配件', cid: 13117, slug: 'digital-accessories' },
  care: { name: '个人护理', cid: 20345, slug: 'personal-care' },
  tea: { name: '茶叶冲饮', cid: 50008899, slug: 'tea' },
  snacks: { name: '休闲零食', cid: 50010566, slug: 'snacks' },
  sports: { name: '运动户外', cid: 50011699, slug: 'sports' },
  appliances: { name: '生活电器', cid: 50012100, slug: 'appliances' },
  jewelry: { name: '饰品', cid: 50013864, slug: 'jewelry' },
  bags: { name: '箱包', cid: 50006842, slug: 'bags' },
} satisfies Record<string, DemoCategory>;

export type ProductKind = 'NORMAL' | 'PRESALE' | 'CUSTOM';

export interface DemoProduct {
  sku: string;
  title: string;
  priceCents: number;
  category: DemoCategory;
  kind: ProductKind;
  /** JD's numeric SKU id for the product. */
  jdSkuId: string;
  /** Presale deposit, in cents. */
  depositCents?: number;
  /** What the buyer asked to have made, for made-to-order products. */
  customization?: string;
}

export const PRODUCTS: readonly DemoProduct[] = [
  {
    sku: 'MUG-WHITE-350',
    title: '白瓷马克杯 350ml',
    priceCents: 5900,
    category: CATEGORY.drinkware,
    kind: 'NORMAL',
  },
  {
    sku: 'COASTER-BAMBOO-4',
    title: '竹制杯垫 4片装',
    priceCents: 2900,
    category: CATEGORY.home,
    kind: 'NORMAL',
  },
  {
    sku: 'FLASK-SS-500',
    title: '不锈钢保温杯 500ml',
    priceCents: 9900,
    category: CATEGORY.drinkware,
    kind: 'NORMAL',
  },
  {
    sku: 'TEE-WHITE-L',
    title: '纯棉短袖T恤 白色 L',
    priceCents: 7900,
    category: CATEGORY.apparel,
    kind: 'NORMAL',
  },
  {
    sku: 'SCARF-WOOL-GRY',
    title: '羊毛围巾 灰色',
    priceCents: 19900,
    category: CATEGORY.apparel,
    kind: 'NORMAL',
  },
  {
    sku: 'EARPHONE-NC-BLK',
    title: '头戴式降噪耳机 黑色',
    priceCents: 129900,
    category: CATEGORY.audio,
    kind: 'NORMAL',
  },
  {
    sku: 'CHARGER-GAN-65',
    title: '65W 氮化镓充电器',
    priceCents: 13900,
    category: CATEGORY.accessories,
    kind: 'NORMAL',
  },
  {
    sku: 'KB-MECH-WL',
    title: '无线机械键盘 茶轴',
    priceCents: 39900,
    category: CATEGORY.accessories,
    kind: 'NORMAL',
  },
  {
    sku: 'SOAP-COLD-3',
    title: '手工冷制皂 3块装',
    priceCents: 5000,
    category: CATEGORY.care,
    kind: 'NORMAL',
  },
  { sku: 'TEA-GREEN-250', title: '高山绿茶 250g', priceCents: 8800, category: CATEGORY.tea, kind: 'NORMAL' },
  {
    sku: 'NUTS-GIFT-1KG',
    title: '每日坚果礼盒 1kg',
    priceCents: 12800,
    category: CATEGORY.snacks,
    kind: 'NORMAL',
  },
  { sku: 'YOGA-MAT-6', title: '加厚瑜伽垫 6mm', priceCents: 8900, category: CATEGORY.sports, kind: 'NORMAL' },
  {
    sku: 'DOWN-JACKET-L',
    title: '【预售】轻薄羽绒服 L码',
    priceCents: 99900,
    category: CATEGORY.apparel,
    kind: 'PRESALE',
    depositCents: 10000,
  },
  {
    sku: 'ROBOT-VAC-01',
    title: '【预售】扫地机器人 二代',
    priceCents: 399900,
    category: CATEGORY.appliances,
    kind: 'PRESALE',
    depositCents: 20000,
  },
  {
    sku: 'TEA-LONGJING-100',
    title: '【预售】明前龙井 100g',
    priceCents: 29900,
    category: CATEGORY.tea,
    kind: 'PRESALE',
    depositCents: 5000,
  },
  {
    sku: 'MUG-ENGRAVED',
    title: '刻字马克杯（定制）',
    priceCents: 12900,
    category: CATEGORY.drinkware,
    kind: 'CUSTOM',
    customization: '刻字：演示文字',
  },
  {
    sku: 'NECKLACE-NAME',
    title: '定制姓名项链 925银',
    priceCents: 26900,
    category: CATEGORY.jewelry,
    kind: 'CUSTOM',
    customization: '名字：示例',
  },
  {
    sku: 'TOTE-HANDPAINT',
    title: '手绘定制帆布包',
    priceCents: 15900,
    category: CATEGORY.bags,
    kind: 'CUSTOM',
    customization: '图案：演示小猫',
  },
].map((product, index) => ({
  ...product,
  kind: product.kind as ProductKind,
  jdSkuId: String(100012345600 + index),
}));

export const WAREHOUSES = ['杭州萧山仓', '上海嘉定仓', '广州白云仓', '成都双流仓'] as const;
export const CARRIERS = [
  { name: '顺丰速运', prefix: 'SF' },
  { name: '中通快递', prefix: 'ZTO' },
  { name: '京东物流', prefix: 'JDV' },
  { name: '圆通速递', prefix: 'YT' },
] as const;
