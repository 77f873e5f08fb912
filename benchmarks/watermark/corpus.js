// Checks every SVG of each installed package with the CLI (batches of files per JVM) and prints the share accepted.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const [modules, jar, iconSets, designExports] = process.argv.slice(2);
const packageName = spec => spec.replace(/@[^@/]+$/, '');

function svgs(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') svgs(p, out);
    else if (entry.isFile() && entry.name.endsWith('.svg')) out.push(p);
  }
  return out;
}

function check(files) {
  const verdicts = [];
  for (let i = 0; i < files.length; i += 400) {
    let stdout;
    try {
      stdout = execFileSync('java', ['-jar', jar, '--json', 'watermark', 'check', ...files.slice(i, i + 400)],
        { maxBuffer: 1 << 28, encoding: 'utf8' });
    } catch (e) {
      stdout = e.stdout; // exit 2: some file was refused
    }
    verdicts.push(...JSON.parse(stdout).files);
  }
  return verdicts;
}

function report(title, specs) {
  let total = 0, accepted = 0;
  const reasons = new Map();
  console.log(`\n${title}`);
  for (const spec of specs.split(' ').filter(Boolean)) {
    const dir = path.join(modules, packageName(spec));
    if (!fs.existsSync(dir)) { console.log(`  ${spec.padEnd(36)} (not available)`); continue; }
    const files = svgs(dir);
    const verdicts = check(files);
    const ok = verdicts.filter(v => v.accepted).length;
    total += verdicts.length;
    accepted += ok;
    for (const v of verdicts.filter(v => !v.accepted)) {
      const reason = v.reason.replace(/^line \d+: /, '').replace(/'[^']*'/g, "'…'").slice(0, 110);
      reasons.set(reason, (reasons.get(reason) || 0) + 1);
    }
    console.log(`  ${spec.padEnd(36)} ${String(ok).padStart(6)} / ${String(verdicts.length).padEnd(6)} ${(100 * ok / Math.max(1, verdicts.length)).toFixed(2)}%`);
  }
  console.log(`  ${'all'.padEnd(36)} ${String(accepted).padStart(6)} / ${String(total).padEnd(6)} ${(100 * accepted / Math.max(1, total)).toFixed(2)}%`);
  [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).forEach(([r, n]) => console.log(`    refused ${n}x: ${r}`));
}

report('Icon sets', iconSets);
report('Design-tool exports', designExports);
