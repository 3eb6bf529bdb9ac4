import { describe, expect, it } from 'vitest';
import {
  cityShortNames,
  districtShortNames,
  provinceShortNames,
  stripNationalities,
  townshipShortNames,
} from '../../../api/src/domain/address/short-names.js';

describe('short forms of division names', () => {
  it('shortens provinces, municipalities and autonomous regions', () => {
    expect(provinceShortNames('浙江省')).toEqual(['浙江']);
    expect(provinceShortNames('北京市')).toEqual(['北京']);
    expect(provinceShortNames('内蒙古自治区')).toEqual(['内蒙古']);
    expect(provinceShortNames('广西壮族自治区')).toEqual(['广西']);
    expect(provinceShortNames('新疆维吾尔自治区')).toEqual(['新疆']);
    expect(provinceShortNames('西藏自治区')).toEqual(['西藏']);
    expect(provinceShortNames('宁夏回族自治区')).toEqual(['宁夏']);
    expect(provinceShortNames('香港特别行政区')).toEqual(['香港']);
  });

  it('shortens cities, prefectures, leagues and areas', () => {
    expect(cityShortNames('深圳市')).toEqual(['深圳']);
    expect(cityShortNames('延边朝鲜族自治州')).toEqual(['延边', '延边州']);
    expect(cityShortNames('恩施土家族苗族自治州')).toEqual(['恩施', '恩施州']);
    expect(cityShortNames('克孜勒苏柯尔克孜自治州')).toEqual(['克孜勒苏', '克孜勒苏州']);
    expect(cityShortNames('锡林郭勒盟')).toEqual(['锡林郭勒']);
    expect(cityShortNames('大兴安岭地区')).toEqual(['大兴安岭']);
  });

  it('shortens districts, counties, banners and autonomous counties', () => {
    expect(districtShortNames('朝阳区')).toEqual(['朝阳']);
    expect(districtShortNames('浦东新区')).toEqual(['浦东']);
    expect(districtShortNames('清新区')).toEqual(['清新']);
    expect(districtShortNames('神农架林区')).toEqual(['神农架']);
    expect(districtShortNames('义乌市')).toEqual(['义乌']);
    expect(districtShortNames('长阳土家族自治县')).toEqual(['长阳', '长阳县']);
    expect(districtShortNames('东乡族自治县')).toEqual(['东乡', '东乡县']);
    expect(districtShortNames('鄂温克族自治旗')).toEqual(['鄂温克', '鄂温克旗']);
    expect(districtShortNames('龙胜各族自治县')).toEqual(['龙胜', '龙胜县']);
  });

  it('never shortens to one character or shortens island groups', () => {
    expect(districtShortNames('城区')).toEqual([]);
    expect(districtShortNames('盂县')).toEqual([]);
    expect(districtShortNames('西沙群岛')).toEqual([]);
    expect(districtShortNames('市中区')).toEqual([]);
    expect(districtShortNames('市南区')).toEqual([]);
  });

  it('drops the enclosing names from development zones and abbreviates them', () => {
    expect(districtShortNames('苏州工业园区', ['江苏省', '江苏', '苏州市', '苏州'])).toEqual(['工业园区']);
    expect(districtShortNames('长春净月高新技术产业开发区', ['吉林省', '吉林', '长春市', '长春'])).toEqual([
      '净月高新技术产业开发区',
      '长春净月高新区',
      '净月高新区',
    ]);
  });

  it('strips any number of nationalities but keeps a name that is only a nationality', () => {
    expect(stripNationalities('积石山保安族东乡族撒拉族')).toBe('积石山');
    expect(stripNationalities('内蒙古')).toBe('内蒙古');
    expect(stripNationalities('鄂伦春')).toBe('鄂伦春');
  });

  it('shortens towns and streets', () => {
    expect(townshipShortNames('虎门镇')).toEqual(['虎门']);
    expect(townshipShortNames('东城街道')).toEqual(['东城']);
  });
});
