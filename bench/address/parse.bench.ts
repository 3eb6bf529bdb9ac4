import os from 'node:os';
import { parseAddress } from '../../api/src/domain/address/address-parser.js';
import { BUNDLED_DIVISION_FILE, readDivisionFile } from '../../api/src/domain/address/division-data.js';
import { type AddressFormat, buildLabelledSet, type LabelledAddress } from './labelled-set.js';
import { scoreLabelledSet } from './score.js';

/**
 * Address parser benchmark: load time, accuracy on a labelled set, single-threaded throughput.
 * Run: npx tsx bench/address/parse.bench.ts   (ACCURACY_SIZE, THROUGHPUT_SIZE, SEED to vary)
 */

const ACCURACY_SIZE = Number(process.env.ACCURACY_SIZE ?? 5_000);
const THROUGHPUT_SIZE = Number(process.env.THROUGHPUT_SIZE ?? 100_000);
const SEED = Number(process.env.SEED ?? 20_240_601);

const loadStart = performance.now();
const loaded = readDivisionFile(BUNDLED_DIVISION_FILE);
const loadMs = performance.now() - loadStart;
if (!loaded.ok) {
  console.error('division data failed to load:');
  for (const e of loaded.errors) console.error(`  ${e.field} ${e.code}: ${e.message}`);
  process.exit(1);
}
const index = loaded.value;
const { counts } = index;
console.log(
  `loaded ${BUNDLED_DIVISION_FILE} in ${loadMs.toFixed(1)} ms: ${counts.provinces} provinces, ` +
    `${counts.cities} cities, ${counts.districts} districts, ${counts.townships} townships (cities without districts)`,
);

// Accuracy.
const labelled = buildLabelledSet(index, { size: ACCURACY_SIZE, seed: SEED });
const score = scoreLabelledSet(index, labelled);
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
console.log(`\naccuracy on ${labelled.length} labelled addresses (seed ${SEED}):`);
console.log(`  province ${pct(score.province)}   city ${pct(score.city)}   district ${pct(score.district)}`);
console.log('  district accuracy by format:');
for (const [format, f] of Object.entries(score.byFormat) as Array<
  [AddressFormat, { n: number; district: number }]
>) {
  console.log(`    ${format.padEnd(24)} ${String(f.n).padStart(5)}  ${pct(f.district)}`);
}
if (score.misses.length > 0) {
  console.log(`  first misses (${score.misses.length} in all):`);
  for (const m of score.misses.slice(0, 8)) console.log(`    ${m}`);
}

// Throughput: the set is built before the clock starts; a warm-up pass lets the JIT settle.
const corpus: LabelledAddress[] = buildLabelledSet(index, { size: THROUGHPUT_SIZE, seed: SEED + 1 });
let sink = 0;
for (let i = 0; i < 10_000; i++) sink += parseAddress(index, corpus[i % corpus.length].input).confidence;
const runStart = performance.now();
for (const item of corpus) sink += parseAddress(index, item.input).confidence;
const runMs = performance.now() - runStart;
const perSecond = Math.round((corpus.length / runMs) * 1000);
console.log(
  `\nparsed ${corpus.length} addresses in ${runMs.toFixed(0)} ms single-threaded: ${perSecond.toLocaleString('en')} addresses/s` +
    ` (checksum ${sink.toFixed(0)})`,
);

const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model ?? 'unknown',
  cores: cpus.length,
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  loadAverage1m: Number(os.loadavg()[0].toFixed(2)),
};
console.log(
  `machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, load ${machine.loadAverage1m}`,
);

console.log(
  JSON.stringify({
    bench: 'address-parse',
    loadMs: Number(loadMs.toFixed(1)),
    counts,
    accuracy: {
      size: labelled.length,
      seed: SEED,
      province: Number(score.province.toFixed(4)),
      city: Number(score.city.toFixed(4)),
      district: Number(score.district.toFixed(4)),
    },
    throughput: { addresses: corpus.length, ms: Number(runMs.toFixed(1)), perSecond },
    machine,
  }),
);
