// The peer of benchmarks/bench.py: Carbone renders a template RUNS times, warm, and prints the
// median CPU time of one render (all of node's threads, as Python's process_time counts them).
//     node carbone_bench.js TEMPLATE DATA.json RUNS
'use strict';
const fs = require('fs');
const carbone = require('carbone');

const [template, dataFile, runsText] = process.argv.slice(2);
const data = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
const runs = Number(runsText);

function once() {
  return new Promise((resolve, reject) => {
    carbone.render(template, data, {}, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

(async () => {
  for (let i = 0; i < 20; i++) await once(); // warm: the template read, the code compiled
  const cpu = [];
  const wall = [];
  for (let i = 0; i < runs; i++) {
    const usage = process.cpuUsage();
    const start = process.hrtime.bigint();
    await once();
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(usage);
    cpu.push((used.user + used.system) / 1000);
  }
  process.stdout.write(JSON.stringify({ median_cpu_ms: median(cpu), median_wall_ms: median(wall) }));
})().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err));
  process.exit(1);
});
