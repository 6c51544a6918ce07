import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findVehicles } from './vehicles.ts';

const values = (t: string): string[] => findVehicles(t).map((v) => v.value);

test('vehicles: current, prefix and suffix formats, normalised', () => {
  assert.deepEqual(values('Silver VW Polo registration BD51 SMR'), ['BD51SMR']);
  assert.deepEqual(values('Plates I saw: Y123 XYZ and AB70 CDE'), ['Y123XYZ', 'AB70CDE']);
  assert.deepEqual(values('old Jag ABC 123D'), ['ABC123D']);
  assert.deepEqual(values('a van, reg yt19 klm'), ['YT19KLM']);
  assert.deepEqual(values('plate SK-65-ABX'), ['SK65ABX']);
});

test('vehicles: dateless plates need a registration word', () => {
  assert.deepEqual(values('private plate reg K 9'.replace('K 9', 'KJ 99')), ['KJ99']);
  assert.deepEqual(values('I am at J31 of the M6 near B12 and A580'), []);
});

test('vehicles: roads and shouting are not plates', () => {
  assert.deepEqual(values('THEY WENT UP THE A6 AND M6 NOW'), []);
  assert.deepEqual(values('in room B12 at 3pm'), []);
});

test('vehicles: the first part of a plate is not a plate', () => {
  assert.deepEqual(findVehicles('a blue BMW, reg starts WR15 I think, didnt get the rest').map((v) => v.value), []);
  assert.deepEqual(findVehicles('reg started LS70. happening now').map((v) => v.value), []);
  assert.deepEqual(findVehicles('reg starts with AB12 CDE').map((v) => v.value), ['AB12CDE']);
  assert.deepEqual(findVehicles('private plate reg K1 NGS').map((v) => v.value), ['K1NGS']);
});

test('vehicles: "13 or 14 and" in lower case is prose, not a plate', () => {
  assert.deepEqual(values('by a dark blue Transit, reg ls58 xyo. They look 13 or 14 and seem to know him'), ['LS58XYO']);
});

test('vehicles: a dateless plate named as a vehicle or followed by its make in brackets', () => {
  const values = (t: string): string[] => findVehicles(t).map((v) => v.value);
  assert.deepEqual(values('RTC on the A38: vehicles TMB 907 (classic Jaguar) and WK16 LPE (Skoda).'), ['TMB907', 'WK16LPE']);
  assert.deepEqual(values('a TMB 907 (blue Ford) outside'), ['TMB907']);
  // Without either, upper-case letters and digits are not a plate.
  assert.deepEqual(values('Form TMB 907 is due; see ABC 123 (page two)'), []);
});

test('vehicles: Northern Ireland plates beside a vehicle word', () => {
  assert.deepEqual(values('Blue Transit LFZ 4921 keeps pulling into the entry'), ['LFZ4921']);
  assert.deepEqual(values('She said LFZ 4921 was her locker code.'), []);
});

test('vehicles: a make or model just before lets a plate be lower case or dateless', () => {
  assert.deepEqual(values('The men left in a black BMW, p73bnd.'), ['P73BND']);
  assert.deepEqual(values('An older man waited outside in a gold Nissan, 4821 RT, paid cash'), ['4821RT']);
  assert.deepEqual(values('we had tea at 4821 rt and met at p73 bnd'), []);
});

test('vehicles: text-speak after a year group is not a plate', () => {
  assert.deepEqual(values('been bunkin most of yr 10 tbh, cant be arsed'), []);
});

test('vehicles: a dateless plate at the end of a list of plates', () => {
  assert.deepEqual(values('Registrations from the CCTV: LR63 BHX, F914 ODN, UKX 78R and 6868 FB.'), ['LR63BHX', 'F914ODN', 'UKX78R', '6868FB']);
  assert.deepEqual(values('Plates BD51 SMR, then 12 and 13 of May'), ['BD51SMR']);
});

test('vehicles: a dateless plate said to be on a vehicle; capitals beat text-speak', () => {
  assert.deepEqual(values('B16 DAN on a black Range Rover and KAY 1 on a white Merc'), ['B16DAN', 'KAY1']);
  assert.deepEqual(values('white Transit KY05 WDF, grey Corsa P88 LMK'), ['KY05WDF', 'P88LMK']);
});

test('vehicles: "an old Jag on 4521 RU"', () => {
  assert.deepEqual(values('a private plate K9 FTW and an old Jag on 4521 RU.'), ['K9FTW', '4521RU']);
});

test('vehicles: a lower-case plate first in a list labelled as plates', () => {
  assert.deepEqual(values('Plates logged at the Prestatyn address over three nights: r482 hjn, WX59 OKD and a van on DKZ 9102.'), ['R482HJN', 'WX59OKD', 'DKZ9102']);
});

test('vehicles: "Audi A3 reg MA19 KTV" is one plate, not "A3 reg"', () => {
  assert.deepEqual(values('Blk Audi A3 reg MA19 KTV, two men in the front'), ['MA19KTV']);
});
