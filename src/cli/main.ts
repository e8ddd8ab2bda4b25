#!/usr/bin/env node
import { Command, Option } from 'commander';
import { migrations } from '../migrations.js';
import { ConfigError, loadConfig, type Config } from '../platform/config/index.js';
import { openDatabase, migrateToLatest } from '../platform/db/index.js';
import { createService } from '../service.js';
import {
  DEFAULT_STORY_SUBSCRIBERS,
  demoAccounts,
  loadDemo,
  loadDemoStory,
  loadDemoSubscribers,
  MINIMUM_STORY_SUBSCRIBERS,
} from '../demo/index.js';
import { createStaffAccount, roles, totpCodeAt, totpQrForTerminal } from '../staff/index.js';
import { readPasswordFromStdin } from './read-password.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadOrCreateOperatorSeal, verifyAgreementDocument } from '../agreements/index.js';
import { provisionSipAccounts } from '../calls/index.js';
import { clusterWorkerIndex } from '../platform/cluster/index.js';
import { createLogger } from '../platform/logging.js';
import { serveClusterPrimary, workerOverrides, workerSettings } from './serve-cluster.js';

const EXIT_CONFIG = 2;
const EXIT_FAILURE = 1;

/** A wrong setting ends the process with EXIT_CONFIG and the variables it names, not a stack trace. */
function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(error.message + '\n');
    process.exit(EXIT_CONFIG);
  }
  throw error;
}

function config(): Config {
  try {
    return loadConfig();
  } catch (error) {
    return exitOnConfigError(error);
  }
}

const program = new Command('videophone').description('Videophone service and operator tools').showHelpAfterError();

program
  .command('serve')
  .description('Run the service: HTTP API, web app and scheduled jobs')
  .option('--demo', 'load the demo operator and a year of its history first (development only)')
  .option(
    '--demo-subscribers <n>',
    `subscribers in the demo's year of history (${MINIMUM_STORY_SUBSCRIBERS} or more; 0: the demo operator without the history)`,
    String(DEFAULT_STORY_SUBSCRIBERS),
  )
  .action(async (options: { demo?: boolean; demoSubscribers: string }) => {
    const settings = config();
    if (options.demo && settings.env === 'production') {
      process.stderr.write('Refusing to load demo data with NODE_ENV=production.\n');
      process.exit(EXIT_FAILURE);
    }
    const storySize = Number(options.demoSubscribers);
    if (!Number.isInteger(storySize) || (storySize !== 0 && storySize < MINIMUM_STORY_SUBSCRIBERS) || storySize > 100_000) {
      process.stderr.write(`--demo-subscribers must be 0 or a whole number from ${MINIMUM_STORY_SUBSCRIBERS} to 100000\n`);
      process.exit(EXIT_FAILURE);
    }
    // SIP_WORKERS > 1: this process is the primary (it forks the workers) or one of the workers.
    const workerIndex = clusterWorkerIndex();
    const primary = settings.sip.workers > 1 && workerIndex === null;
    if (options.demo && storySize > 0 && workerIndex === null) {
      // The year is played on a test clock before the service starts on the real one, from where the story ends.
      process.stdout.write(`Loading the demo's year of history for ${storySize} subscribers…\n`);
      const story = await loadDemoStory(settings, {
        subscribers: storySize,
        progress: (message) => process.stdout.write(`  ${message}\n`),
      });
      if (story.status === 'loaded') {
        const { figures } = story;
        const payments = figures.payments.cashier + figures.payments.bank + figures.payments.online;
        process.stdout.write(
          `Demo history loaded in ${story.seconds.toFixed(1)} s: ${figures.subscribers} subscribers, ${figures.calls} calls, ` +
            `${figures.qualityReports} quality reports, ${figures.bills} bills, ${payments} payments ` +
            `(desk ${figures.payments.cashier}, bank ${figures.payments.bank}, online ${figures.payments.online}).\n`,
        );
      } else {
        process.stdout.write(
          story.reason === 'already-loaded'
            ? 'The demo history is already in this database; it is not loaded twice.\n'
            : 'This database already has subscribers of its own: the demo history is loaded only into an empty one.\n',
        );
      }
    }
    if (primary) {
      const logger = createLogger(settings.logLevel, { pretty: settings.env === 'development' && process.stdout.isTTY });
      const cluster = await serveClusterPrimary(settings, logger);
      const stop = async (signal: string) => {
        logger.info({ signal }, 'shutting down the workers');
        await cluster.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      return;
    }
    const service =
      workerIndex === null
        ? await createService(settings)
        : await createService(
            workerSettings(settings, workerIndex),
            workerOverrides(settings, workerIndex, createLogger(settings.logLevel, { pretty: false })),
          );
    // The demo operator is loaded once per node: by the only process, or by the first worker.
    if (options.demo && (workerIndex ?? 0) === 0) {
      const { created } = await loadDemo(service.ctx);
      const subscribers = await loadDemoSubscribers(service.ctx, { sipDomain: settings.sip.domain, seal: service.seal });
      service.ctx.logger.info(
        { created, subscribers: subscribers.map((s) => `${s.contactPhone} → ${s.number}`) },
        'demo operator loaded: sign in as admin / demo-admin-pass, code from `npm run cli -- demo code`',
      );
    }
    const shutdown = async (signal: string) => {
      service.ctx.logger.info({ signal }, 'shutting down');
      await service.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    const address = await service.listen();
    service.ctx.logger.info({ address, database: service.database.engine }, `Videophone is listening on ${address}`);
  });

program
  .command('migrate')
  .description('Apply pending database migrations and exit')
  .action(async () => {
    const database = await openDatabase(config().database);
    try {
      const results = await migrateToLatest(database.db, migrations);
      for (const result of results) process.stdout.write(`${result.status}: ${result.migrationName}\n`);
      process.stdout.write(results.length === 0 ? 'The schema is up to date.\n' : `Applied ${results.length} migration(s).\n`);
    } finally {
      await database.close();
    }
  });

const staff = program.command('staff').description('Manage staff accounts');
staff
  .command('add')
  .description('Create a staff account; prints the TOTP enrolment secret once')
  .argument('<username>')
  .requiredOption('--name <displayName>', 'display name')
  .addOption(new Option('--role <role...>', 'one or more roles').choices([...roles]).makeOptionMandatory())
  .option('--password-stdin', 'read the password from standard input instead of prompting')
  .action(async (username: string, options: { name: string; role: string[]; passwordStdin?: boolean }) => {
    const password = await readPasswordFromStdin(options.passwordStdin ? 'stdin' : 'prompt');
    const service = await createService({ ...config(), jobsEnabled: false }, { webRoot: null });
    try {
      const result = await createStaffAccount(
        service.ctx,
        { username, displayName: options.name, password, roles: options.role },
        { type: 'system', id: null, name: 'cli' },
      );
      if (!result.ok) {
        process.stderr.write(
          `${result.failure.message}\n${(result.failure.fields ?? []).map((f) => `  ${f.field}: ${f.message}\n`).join('')}`,
        );
        process.exitCode = EXIT_FAILURE;
        return;
      }
      process.stdout.write(
        `Created ${result.value.staff.username} (${result.value.staff.roles.join(', ')}).\n` +
          `Enrol this secret in an authenticator app now (scan the QR code or type the secret); it is not shown again:\n` +
          (await totpQrForTerminal(result.value.totp.uri)) +
          `  secret: ${result.value.totp.secret}\n  uri:    ${result.value.totp.uri}\n`,
      );
    } finally {
      await service.close();
    }
  });

const sip = program.command('sip').description('SIP accounts and test subscribers');
sip
  .command('provision')
  .description('Provision numbered test subscribers (password pw<number>) and write a sipp injection CSV')
  .requiredOption('--from <number>', 'first number, e.g. 1000')
  .requiredOption('--to <number>', 'last number, e.g. 1999')
  .option('--csv <file>', 'write a sipp injection file (SEQUENTIAL; number;domain;[authentication ...])')
  .action(async (options: { from: string; to: string; csv?: string }) => {
    const first = Number(options.from);
    const last = Number(options.to);
    if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last < first || last - first > 1_000_000) {
      process.stderr.write('--from and --to must be whole numbers with from <= to (at most a million)\n');
      process.exit(EXIT_FAILURE);
    }
    const settings = config();
    const service = await createService({ ...settings, jobsEnabled: false }, { webRoot: null });
    try {
      const accounts = Array.from({ length: last - first + 1 }, (_, i) => ({ number: String(first + i), password: `pw${first + i}` }));
      await provisionSipAccounts(service.ctx.db, settings.sip.domain, accounts, new Date());
      process.stdout.write(`Provisioned ${accounts.length} numbers ${first}–${last} in ${settings.sip.domain} (password pw<number>).\n`);
      if (options.csv) {
        const lines = [
          'SEQUENTIAL',
          ...accounts.map((a) => `${a.number};${settings.sip.domain};[authentication username=${a.number} password=${a.password}]`),
        ];
        writeFileSync(options.csv, lines.join('\n') + '\n');
        process.stdout.write(`Wrote ${options.csv} for sipp -inf.\n`);
      }
    } finally {
      await service.close();
    }
  });

const demo = program
  .command('demo')
  .description('Load a demo operator: one staff account per role, a price list, two subscribers who can call each other')
  .action(async () => {
    const settings = config();
    if (settings.env === 'production') {
      process.stderr.write('Refusing to load demo data with NODE_ENV=production.\n');
      process.exit(EXIT_FAILURE);
    }
    const service = await createService({ ...settings, jobsEnabled: false }, { webRoot: null });
    try {
      const { created, existing } = await loadDemo(service.ctx);
      process.stdout.write(`Demo operator loaded (${created.length} created, ${existing.length} already there).\n\n`);
      process.stdout.write('Staff accounts (sign in at /console/login):\n');
      for (const account of demoAccounts())
        process.stdout.write(`  ${account.username.padEnd(11)} ${account.password.padEnd(24)} ${account.role}\n`);
      process.stdout.write(`\nAll demo accounts share the TOTP secret ${demoAccounts()[0]?.totpSecret}.\n`);
      process.stdout.write('Add it to an authenticator app, or print the current code with: npm run cli -- demo code\n');
      const subscribers = await loadDemoSubscribers(service.ctx, { sipDomain: settings.sip.domain, seal: service.seal });
      process.stdout.write('\nSubscribers (sign in at /portal/login, then open the web phone at /phone):\n');
      for (const subscriber of subscribers)
        process.stdout.write(
          `  ${subscriber.contactPhone}  ${subscriber.password}  number ${subscriber.number ?? '(none)'}  ${subscriber.name}\n`,
        );
    } finally {
      await service.close();
    }
  });

demo
  .command('code')
  .description('Print the current TOTP code of the demo accounts')
  .action(() => {
    const secret = demoAccounts()[0]?.totpSecret ?? '';
    const now = new Date();
    const remaining = 30 - (Math.floor(now.getTime() / 1000) % 30);
    process.stdout.write(`${totpCodeAt(secret, now)}  (valid for ${remaining} s more)\n`);
  });

const agreement = program.command('agreement').description('Signed agreements (clause 17)');
agreement
  .command('verify <file>')
  .description("Check a signed agreement, PDF or JSON copy: the text's SHA-256, the operator's seal, and that a PDF was not altered")
  .action(async (file: string) => {
    const seal = loadOrCreateOperatorSeal(config().dataDir, config().agreementSealFile);
    const check = await verifyAgreementDocument(readFileSync(file), [seal.keyId]);
    if (check.valid) {
      const { id, version, language, signedAt, operatorKeyId } = check.signature;
      process.stdout.write(
        `valid ${check.format}: agreement ${id}, version ${version} (${language}), signed ${signedAt}, sealed by ${operatorKeyId}\n`,
      );
    } else {
      process.stdout.write(`NOT valid (${check.format}): ${check.reason}\n`);
      process.exitCode = EXIT_FAILURE;
    }
  });

// Key files (the agreement seal, the payment providers') are read when a command starts on them.
program.parseAsync().catch((error: unknown) => {
  if (error instanceof ConfigError) exitOnConfigError(error);
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(EXIT_FAILURE);
});
