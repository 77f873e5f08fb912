// Serves each case from one loopback origin, records every request any other loopback origin receives, and
// counts what Chromium fetched from elsewhere while showing the file as a document.
const { chromium } = require('playwright-core');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const [jar, work, samples] = process.argv.slice(2);

async function listen(handler) {
  const server = http.createServer(handler);
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  return server;
}

// The attack cases: one per way found to make a browser fetch through CSS or references; EVIL is another origin.
function cases(evil) {
  const svg = inner => `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">${inner}<rect width="10" height="10" class="a"/></svg>`;
  return {
    'url-capitals-style': svg(`<style>.a { fill: URL(${evil}/p1) }</style>`),
    'url-capitals-attribute': svg(`<rect width="5" height="5" fill="URL(${evil}/p2)"/>`),
    'url-escaped-r': svg(`<style>.a { fill: u\\72l(${evil}/p3) }</style>`),
    'url-escaped-u': svg(`<rect width="5" height="5" style="fill: \\75 rl(${evil}/p4)"/>`),
    'url-char-reference': svg(`<style>.a { fill: ur&#108;(${evil}/p5) }</style>`),
    'url-cdata-boundary': svg(`<style>.a { fill: ur<![CDATA[l(${evil}/p6) }]]></style>`),
    'import-char-reference': svg(`<style>@imp&#111;rt "${evil}/s1.css";</style>`),
    'import-at-reference': svg(`<style>&#64;import "${evil}/s2.css";</style>`),
    'import-escaped': svg(`<style>@\\69mport "${evil}/s3.css";</style>`),
    'import-capitals-escape': svg(`<style>@IMP\\4fRT "${evil}/s4.css";</style>`),
    'image-set': svg(`<style>.a { fill: image-set("${evil}/p7" 1x) }</style>`),
    'webkit-image-set': svg(`<rect width="5" height="5" style="fill: -webkit-image-set(url(${evil}/p8) 1x)"/>`),
    'font-face-src': svg(`<style>@font-face { font-family: x; src: url(${evil}/f.woff) } .a { font-family: x }</style><text class="a" y="5">x</text>`),
    'filter-attribute': svg(`<g filter="url(${evil}/f.svg#f)"><rect width="5" height="5"/></g>`),
    'use-outside': svg(`<use href="${evil}/u.svg#a"/>`),
    'image-outside': svg(`<image href="${evil}/i.png" width="5" height="5"/>`),
    'background-url': svg(`<rect width="5" height="5" style="background: url(${evil}/p9)"/>`),
  };
}

(async () => {
  const outside = [];
  const evilServer = await listen((req, res) => { outside.push(req.url); res.writeHead(404); res.end(); });
  const evil = `http://127.0.0.1:${evilServer.address().port}`;
  const files = new Map();
  const site = await listen((req, res) => {
    const body = files.get(decodeURIComponent(req.url));
    res.writeHead(body ? 200 : 404, { 'content-type': 'image/svg+xml' });
    res.end(body || '');
  });
  const origin = `http://127.0.0.1:${site.address().port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

  async function outsideRequests(name, content) {
    files.set('/' + name, content);
    const seen = outside.length;
    const page = await browser.newPage();
    let foreign = 0;
    page.on('request', r => { if (!r.url().startsWith(origin)) foreign++; });
    await page.goto(origin + '/' + name, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    await page.close();
    return Math.max(foreign, outside.length - seen);
  }

  function served(name, content) {
    const upload = path.join(work, name + '.svg');
    const dir = fs.mkdtempSync(path.join(work, 'images-'));
    fs.writeFileSync(upload, content);
    try {
      execFileSync('java', ['-jar', jar, 'watermark', 'replace', upload, '--dir', dir], { stdio: 'ignore' });
      return fs.readFileSync(path.join(dir, 'watermark.svg'), 'utf8');
    } catch (e) {
      return null; // refused: nothing is served
    }
  }

  const all = cases(evil);
  for (const f of fs.readdirSync(samples).filter(f => f.endsWith('.svg'))) {
    all['sample ' + f] = fs.readFileSync(path.join(samples, f), 'utf8');
  }
  let servedTotal = 0, rawFetching = 0, accepted = 0;
  console.log('case                              uploaded   served');
  for (const [name, content] of Object.entries(all)) {
    const safe = name.replace(/[^a-z0-9.-]/gi, '_');
    const raw = await outsideRequests('raw-' + safe + '.svg', content);
    const canonical = served(safe, content);
    const after = canonical === null ? null : await outsideRequests('served-' + safe + '.svg', canonical);
    rawFetching += raw > 0 ? 1 : 0;
    if (after !== null) { accepted++; servedTotal += after; }
    console.log(`${name.padEnd(34)} ${String(raw).padStart(8)}   ${after === null ? 'refused' : String(after).padStart(7)}`);
  }
  console.log(`\n${Object.keys(all).length} cases: ${rawFetching} fetch from another origin as uploaded; ${accepted} accepted, `
    + `whose served files made ${servedTotal} requests to another origin.`);
  await browser.close();
  evilServer.close();
  site.close();
  process.exit(servedTotal === 0 ? 0 : 1);
})().catch(e => { console.error(e); process.exit(2); });
