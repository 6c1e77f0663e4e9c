#!/usr/bin/env node
// Checks dashboard JSON files against Grafana's published schema (@grafana/schema) with the
// TypeScript compiler: each dashboard becomes a typed constant (DashboardJson), and each panel
// again a constant of its panel type's shape (PanelJsonByType in dashboard-types.ts), so an
// unknown field, a wrong type or an invalid enum value is a compile error, reported with the file,
// the panel and the compiler's message. A panel type without a schema here is an error too.
//
//   node tests/packs/grafana/schema/check-dashboards.mjs DASHBOARD.json...
// Needs `npm ci` in this folder (tools/setup.sh does it).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
let ts;
try {
  ts = require('typescript');
} catch {
  console.error(`check-dashboards: TypeScript is not installed: run npm ci in ${here}`);
  process.exit(2);
}
const PANEL_TYPES = ['bargauge', 'gauge', 'piechart', 'stat', 'table', 'text', 'timeseries'];

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: check-dashboards.mjs DASHBOARD.json...');
  process.exit(2);
}

const problems = [];
const tmp = mkdtempSync(join(here, '.check-'));
const sources = [];
// Which dashboard and panel each generated line came from, to name them in errors.
const origin = new Map();
try {
  files.forEach((file, i) => {
    let doc;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      problems.push(`${file}: not valid JSON: ${e.message}`);
      return;
    }
    // The dashboard spans many lines (pretty-printed, so errors can quote the line); each panel
    // constant after it is one line, whose number is recorded in origin.
    const lines = [
      `import type { DashboardJson, PanelJsonByType, RowPanelJson } from '../dashboard-types';`,
      ...`export const dashboard: DashboardJson = ${JSON.stringify(doc, null, 1)};`.split('\n'),
    ];
    const mark = (what) => origin.set(`${i}:${lines.length}`, what);
    const walk = (panels) => {
      for (const p of panels ?? []) {
        const what = `${basename(file)}: panel ${p.id} ${JSON.stringify(p.title)} (${p.type})`;
        if (p.type === 'row') {
          mark(what);
          lines.push(`export const panel_${lines.length}: RowPanelJson = ${JSON.stringify(p)};`);
          walk(p.panels);
        } else if (PANEL_TYPES.includes(p.type)) {
          mark(what);
          lines.push(`export const panel_${lines.length}: PanelJsonByType[${JSON.stringify(p.type)}] = ${JSON.stringify(p)};`);
        } else {
          problems.push(`${what}: no schema for panel type ${JSON.stringify(p.type)} here (known: ${PANEL_TYPES.join(', ')})`);
        }
      }
    };
    walk(doc.panels);
    const out = join(tmp, `dashboard${i}.ts`);
    writeFileSync(out, lines.join('\n') + '\n');
    sources.push({ out, file, index: i });
  });

  const program = ts.createProgram(sources.map((s) => s.out), {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    types: [],
  });
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n    ');
    const src = d.file && sources.find((s) => s.out === d.file.fileName);
    if (!src) {
      problems.push(`TypeScript: ${msg}`);
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const what = origin.get(`${src.index}:${line}`)
      ?? `${basename(src.file)}: dashboard (near: ${d.file.text.split('\n')[line]?.trim().slice(0, 100)})`;
    problems.push(`${what}: ${msg}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

if (problems.length) {
  for (const p of problems) console.error(`check-dashboards: ${p}`);
  process.exit(1);
}
console.log(`${files.length} dashboard(s) match @grafana/schema ${require('@grafana/schema/package.json').version}: every dashboard and every panel (by its type) type-checks`);
