// Drives Microsoft 365 Agents Playground in headless Chromium (Debian's /usr/bin/chromium)
// through the user journeys of MED-bot and takes a screenshot after each into e2e/out/.
//
//   node e2e/drive.mjs [playground-url]
//
// Steps: welcome, a question (answer card with source), an idea submitted through the
// card, the case-level dialog, a question in the middle of each dialog and a new case
// typed at the decider prompt, a duplicate idea, »færdig« after the reminder list, and a
// reminder that arrives. Results go to e2e/out/report.json;
// the exit code is 0 only when every step passed.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'out');
const url = process.argv[2] || process.env.PLAYGROUND_URL || 'http://localhost:56150/';
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const reminderWaitMs = Number(process.env.E2E_REMINDER_WAIT_MS || 150000);
fs.mkdirSync(out, { recursive: true });

const NOT_AVAILABLE = 'Det kan jeg ikke endnu';
const ANSWERED = 'hører sagen hjemme i';
const APOLOGY = 'Beklager, der gik noget galt';
const report = { url, started: new Date().toISOString(), steps: [] };

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'medbot-e2e-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  viewport: { width: 1400, height: 1000 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const page = context.pages()[0] || (await context.newPage());
page.setDefaultTimeout(30000);

const chatText = () => page.evaluate(() => document.body.innerText);
// How many bot messages (the Playground's output cards) contain `needle`.
const botMessagesWith = (needle) =>
  page.evaluate((n) => [...document.querySelectorAll('.fai-OutputCard')].filter((e) => e.innerText.includes(n)).length, needle);
const count = (text, needle) => text.split(needle).length - 1;

async function shot(name) {
  const file = path.join(out, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return path.basename(file); // the report names its screenshots relative to itself (e2e/out/)
}

async function say(text) {
  const box = page.locator('[contenteditable="true"][role="textbox"]').first();
  await box.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

// Wait until `needle` (string or RegExp) occurs more often than `before` times.
async function waitForMore(needle, before, timeout = 30000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const text = await chatText();
    if (occurrences(text, needle) > before) return true;
    await page.waitForTimeout(300);
  }
  return false;
}

function occurrences(text, needle) {
  return needle instanceof RegExp ? (text.match(new RegExp(needle.source, needle.flags + 'g')) || []).length : count(text, needle);
}

async function settle(ms = 1500) {
  await page.waitForTimeout(ms);
}

async function step(name, fn) {
  const started = Date.now();
  let status = 'passed';
  let detail = '';
  try {
    detail = (await fn()) || '';
    if (detail.startsWith('SKIP:')) status = 'not available';
  } catch (error) {
    status = 'failed';
    detail = String(error && error.message ? error.message : error).slice(0, 500);
  }
  const screenshot = await shot(name).catch(() => null);
  const text = await chatText().catch(() => '');
  if (status === 'passed' && text.includes(APOLOGY)) {
    status = 'failed';
    detail = `the bot apologised for an error. ${detail}`;
  }
  report.steps.push({ name, status, detail, screenshot, seconds: (Date.now() - started) / 1000 });
  console.log(`${status.toUpperCase().padEnd(13)} ${name}${detail ? ' — ' + detail : ''}`);
}

// The last Adaptive Card on the page and its buttons.
function lastCard() {
  return page.locator('.ac-adaptiveCard').last();
}

async function fillInputs(card, text) {
  // Free-text inputs get the text; a choice (a <select>, or the Playground's combobox)
  // gets its first option, as a person picking an area would.
  const inputs = card.locator('input[type="text"], textarea');
  const n = await inputs.count();
  for (let i = 0; i < n; i++) {
    const input = inputs.nth(i);
    if (!(await input.isVisible())) continue;
    const role = (await input.getAttribute('role')) || '';
    const list = (await input.getAttribute('list')) || (await input.getAttribute('aria-autocomplete')) || '';
    if (role === 'combobox' || list) {
      await input.click();
      const option = page.getByRole('option').first();
      if (await option.count()) await option.click();
      continue;
    }
    if ((await input.inputValue()) === '') await input.fill(text);
  }
  const selects = card.locator('select');
  for (let i = 0; i < (await selects.count()); i++) {
    const select = selects.nth(i);
    const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
    if (values.length) await select.selectOption(values[0]);
  }
  return n;
}

async function clickButton(card, prefer, avoid) {
  const buttons = card.locator('button, .ac-pushButton');
  const n = await buttons.count();
  const titles = [];
  for (let i = 0; i < n; i++) titles.push(((await buttons.nth(i).innerText()) || '').trim());
  let index = titles.findIndex((t) => prefer.test(t) && !avoid.test(t));
  if (index < 0) index = titles.findIndex((t) => t && !avoid.test(t));
  if (index < 0) return null;
  await buttons.nth(index).click();
  return titles[index];
}

await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });

await step('01-welcome', async () => {
  if (!(await waitForMore('Hej, jeg er MED-bot', 0, 45000))) throw new Error('no welcome message');
  await settle(2000);
  const n = await botMessagesWith('Jeg hjælper med MED-systemet');
  if (n === 0) throw new Error('no welcome message in the chat');
  if (n > 1) throw new Error(`welcome shown ${n} times, expected once (installationUpdate and conversationUpdate arrive together)`);
  return 'welcome shown once';
});

await step('02-question', async () => {
  const before = count(await chatText(), 'Kilde:');
  await say('hvad er en AMR?');
  if (!(await waitForMore('Kilde:', before))) throw new Error('no answer card with a source');
  await settle();
  return 'answer card with »Kilde:« shown';
});

await step('03-idea-through-the-card', async () => {
  const text0 = await chatText();
  await say('ny idé');
  await settle(3000);
  const text1 = await chatText();
  if (count(text1, NOT_AVAILABLE) > count(text0, NOT_AVAILABLE)) return 'SKIP: the idea dialog is not wired into this build (the bot said »Det kan jeg ikke endnu«)';
  const done = /#\d{4}-\d{3} er modtaget/;
  const clicked = [];
  for (let i = 0; i < 8; i++) {
    const before = occurrences(await chatText(), done);
    const card = lastCard();
    if ((await card.count()) === 0) throw new Error('the idea dialog showed no card');
    await fillInputs(card, i === 0 ? 'E2E: Fælles indkøb af kontorartikler' : 'Vi sparer penge ved at købe ind sammen på tværs af afdelingerne.');
    // The form's »Videre«, then the summary's »Send idéen« (not »Send uden mit navn«, »Tilføj flere oplysninger«, »Ret«).
    const title = await clickButton(card, /send idéen|bekræft|videre|næste|gem|indsend|ja/i, /annuller|fortryd|afbryd|redig|^ret|støt|uden mit navn|tilføj/i);
    if (!title) throw new Error('no button to click on the idea card');
    clicked.push(title);
    await settle(2500);
    if (occurrences(await chatText(), done) > before) return `idea submitted via the card (clicked: ${clicked.join(' → ')})`;
  }
  throw new Error(`no receipt after clicking ${clicked.join(' → ')}`);
});

await step('04-case-level-dialog', async () => {
  const text0 = await chatText();
  const answered0 = count(text0, ANSWERED);
  await say('hvilket udvalg skal behandle en sag om ny mødestruktur i forvaltningen?');
  await settle(3000);
  const text1 = await chatText();
  if (count(text1, NOT_AVAILABLE) > count(text0, NOT_AVAILABLE)) return 'SKIP: the case-level dialog is not wired into this build';
  const clicked = [];
  for (let i = 0; i < 6; i++) {
    const card = lastCard();
    if ((await card.count()) === 0) break;
    const title = await clickButton(card, /ja|videre|næste|kommunaldirektør|direktør|chef|leder/i, /annuller|fortryd|afbryd|ved ikke/i);
    if (!title) break;
    clicked.push(title);
    await settle(2500);
    if (count(await chatText(), ANSWERED) > answered0) break;
  }
  const final = await chatText();
  if (!(count(final, ANSWERED) > answered0)) {
    throw new Error(`no committee named after clicking ${clicked.join(' → ') || 'nothing'}`);
  }
  return `clicked: ${clicked.join(' → ') || '(typed only)'}`;
});

// Wait until the chat shows `needle` more often than `before`; fail with `what` otherwise.
async function expectMore(needle, before, what, timeout = 30000) {
  if (!(await waitForMore(needle, before, timeout))) throw new Error(what);
}

await step('06-question-in-the-case-dialog-and-a-new-case-at-the-prompt', async () => {
  const question = 'Hvem træffer beslutningen?';
  let text = await chatText();
  await say('hvilket udvalg: vi skal have et nyt IT-system');
  await expectMore(question, count(text, question), 'the case dialog did not ask who decides');
  text = await chatText();
  await say('hvad er en trio?');
  await expectMore('Kilde:', count(text, 'Kilde:'), 'a question at the decider prompt was not answered');
  await expectMore(question, count(text, question), 'the decider question was not asked again after the answer');
  text = await chatText();
  const newCase = 'vores leder vil ændre mødetiderne i børnehaven';
  await say(newCase);
  await expectMore(`Sagen: »${newCase}«`, count(text, `Sagen: »${newCase}«`), 'a new case typed at the decider prompt was not taken as a new case');
  await settle();
  return 'question answered and the prompt repeated; the new case was answered as »Sagen: …«';
});

await step('07-question-in-the-reminder-and-idea-dialogs', async () => {
  const when = 'Hvornår skal jeg minde dig om »ringe til min AMR«?';
  let text = await chatText();
  await say('mind mig om at ringe til min AMR');
  await expectMore(when, count(text, when), 'the reminder dialog did not ask when');
  text = await chatText();
  await say('hvad er tavshedspligt?');
  await expectMore('Kilde:', count(text, 'Kilde:'), 'a question at the time prompt was not answered');
  await expectMore(when, count(text, when), 'the time question was not asked again after the answer');
  text = await chatText();
  await say('annuller');
  await expectMore('jeg har stoppet det', count(text, 'jeg har stoppet det'), '»annuller« did not stop the reminder');
  const describe = 'Beskriv idéen';
  text = await chatText();
  await say('ny idé');
  await settle(2500);
  await say('Fælles bilordning i hjemmeplejen');
  await expectMore(describe, count(text, describe), 'the idea dialog did not ask for the description');
  text = await chatText();
  await say('hvad er en AMR?');
  await expectMore('Kilde:', count(text, 'Kilde:'), 'a question at the description step was not answered');
  await expectMore(describe, count(text, describe), 'the description was not asked for again after the answer');
  text = await chatText();
  await say('annuller');
  await expectMore('jeg har stoppet det', count(text, 'jeg har stoppet det'), '»annuller« did not stop the idea');
  await settle();
  return 'questions answered in the reminder and idea dialogs, each prompt repeated';
});

await step('08-duplicate-idea', async () => {
  // Answer each question of the idea dialog by what it asks, as a person would: title,
  // description and area, then »ja send den« at the summary.
  const own = 'Du har selv sendt en lignende idé';
  const done = /#\d{4}-\d{3} er modtaget/;
  const plan = [
    [/Vil du fortsætte med den/i, 'nej'],
    [/Beskriv idéen/i, 'Vi sparer penge ved at købe ind sammen på tværs af afdelingerne.'],
    [/Hvilket område/i, 'ved ikke'],
    [/tjek den, før den sendes/i, 'ja send den'],
    [/Udfyld kortet|titlen på din idé/i, 'E2E: Fælles indkøb af kontorartikler'],
  ];
  const lastBot = () =>
    page.evaluate(() => {
      const cards = [...document.querySelectorAll('.fai-OutputCard')];
      return cards.length ? cards[cards.length - 1].innerText : '';
    });
  const botCount = () => page.evaluate(() => document.querySelectorAll('.fai-OutputCard').length);
  // Say `text` and wait until the bot has answered it (a new message, then a moment for the rest).
  const sayAndWait = async (text) => {
    const before = await botCount();
    await say(text);
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline && (await botCount()) <= before) await page.waitForTimeout(200);
    await settle(1200);
  };
  const asked = [];
  await sayAndWait('ny idé');
  for (let i = 0; i < 14; i++) {
    if (count(await chatText(), own) > 0) break;
    const last = await lastBot();
    const next = plan.find(([pattern]) => pattern.test(last));
    if (!next) throw new Error(`no plan for the question: ${last.slice(0, 120)}`);
    asked.push(next[1]);
    await sayAndWait(next[1]);
  }
  if (count(await chatText(), own) === 0) throw new Error(`the user was not told about the own similar idea (answered: ${asked.join(' | ')})`);
  const before = occurrences(await chatText(), done);
  const clicked = await clickButton(lastCard(), /send den nye/i, /slet|behold/i);
  if (!clicked) throw new Error('no »Send den nye alligevel« button');
  await expectMore(done, before, 'no receipt after »Send den nye alligevel«');
  return 'own duplicate named; the new idea was sent after the user chose so';
});

await step('09-faerdig-after-the-list', async () => {
  const reply = 'Okay – skriv, hvis der er mere.';
  let text = await chatText();
  await say('mind mig om at tjekke referatet i morgen kl 9');
  // Saved at once (»Jeg minder dig om »…« …« with »Fortryd«/»Flyt den«): nothing to confirm.
  await expectMore('Jeg minder dig om »tjekke referatet«', count(text, 'Jeg minder dig om »tjekke referatet«'), 'the reminder was not saved at once');
  await settle(2000);
  text = await chatText();
  await say('mine påmindelser');
  await expectMore('tjekke referatet', count(text, 'tjekke referatet'), 'the list did not show the reminder');
  text = await chatText();
  await say('færdig');
  await expectMore(reply, count(text, reply), '»færdig« after the list got no reply');
  return '»færdig« answered';
});

await step('05-reminder-arrives', async () => {
  const marker = 'tjekke e2e-påmindelsen';
  const text0 = await chatText();
  await say(`mind mig om at ${marker} om 1 minut`);
  await settle(3000);
  const text1 = await chatText();
  if (count(text1, NOT_AVAILABLE) > count(text0, NOT_AVAILABLE)) return 'SKIP: reminders are not wired into this build';
  if (count(text1, marker) === 0) throw new Error('the bot did not echo back the reminder it understood');
  // Saved at once: the reply says so, with »Fortryd« and »Flyt den« (not clicked here).
  if (count(text1, `Jeg minder dig om »${marker}«`) === 0) throw new Error('the bot did not say the reminder was saved');
  await settle(2500);
  const echoed = count(await chatText(), marker);
  const arrived = await waitForMore(marker, echoed, reminderWaitMs);
  if (!arrived) throw new Error(`the reminder did not arrive within ${reminderWaitMs / 1000}s`);
  await settle();
  return 'the reminder arrived in the chat';
});

if (process.env.E2E_DUMP === '1') fs.writeFileSync(path.join(out, 'page.html'), await page.content());
report.finished = new Date().toISOString();
fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify(report, null, 2));
await context.close();
fs.rmSync(profile, { recursive: true, force: true });
const failed = report.steps.filter((s) => s.status !== 'passed');
const allowMissing = process.env.E2E_ALLOW_MISSING === '1';
const blocking = failed.filter((s) => !(allowMissing && s.status === 'not available'));
console.log(`${report.steps.length - failed.length} passed, ${failed.length} failed`);
process.exit(blocking.length ? 1 : 0);
