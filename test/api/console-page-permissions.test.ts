import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedRoutesOf, permissions, roles, rolePermissions, type Permission } from '../../src/staff/index.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

/**
 * The console's pages and the server's routes agree: each page in web/src/app/console-pages.ts names
 * the permission its API requires (a member holding it reads the page's API, one without gets 403),
 * and every permission guards at least one route. The page's API is read from its source files: the
 * `/api/console/...` paths of GET calls there (and in the files of its feature it imports).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const pagesFile = join(root, 'web/src/app/console-pages.ts');

interface PageApi {
  name: string;
  permission: string | null;
  paths: string[];
}

function importsOf(file: string): Map<string, string> {
  const imports = new Map<string, string>();
  for (const m of readFileSync(file, 'utf8').matchAll(/import \{([^}]+)\} from '(\.[^']+)'/g)) {
    for (const name of m[1]!
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean))
      imports.set(name, join(dirname(file), m[2]!) + '.tsx');
  }
  return imports;
}

function readSource(file: string): string {
  for (const candidate of [file, file.replace(/\.tsx$/, '.ts')]) {
    try {
      return readFileSync(candidate, 'utf8');
    } catch {
      // try the next extension
    }
  }
  return '';
}

/** Console API paths without parameters or query, as written in the page's file and the files it imports, three deep. */
function apiPathsOf(file: string, depth = 3, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = readSource(file);
  const paths = new Set<string>();
  for (const m of text.matchAll(/[`'"](\/api\/console\/[a-z0-9/-]+)(?=[`'"?$])/g)) paths.add(m[1]!.replace(/\/$/, ''));
  if (depth > 0) {
    // Runtime imports only: `import type` (web/src/types/api.ts names every route) calls nothing.
    for (const m of text.matchAll(/^import (?!type )[^;]*?from '(\.\.?\/[^']+)'/gm)) {
      for (const path of apiPathsOf(join(dirname(file), m[1]! + '.tsx'), depth - 1, seen)) paths.add(path);
    }
  }
  return [...paths];
}

function consolePageApis(): PageApi[] {
  const text = readFileSync(pagesFile, 'utf8');
  const components = importsOf(pagesFile);
  return [
    ...text.matchAll(/name: '([a-z-]+)',\s*path: '[^']+',\s*labelKey: '[^']+',\s*permission: (null|'[a-z.]+'),\s*component: (\w+)/g),
  ].map((m) => ({
    name: m[1]!,
    permission: m[2] === 'null' ? null : m[2]!.slice(1, -1),
    paths: components.has(m[3]!) ? apiPathsOf(components.get(m[3]!)!) : [],
  }));
}

/** A permission a handler tests on the member (`permissions.includes('payments.backdate')`) rather than a route guard. */
function checkedInHandler(permission: string): boolean {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  return walk(join(root, 'src')).some((file) => readFileSync(file, 'utf8').includes(`permissions.includes('${permission}')`));
}

describe('console pages and the permissions their API requires', () => {
  let service: TestService;
  const cookieOfRole = new Map<string, string>();
  const pages = consolePageApis();

  beforeAll(async () => {
    service = await startTestService('pglite');
    for (const role of roles) cookieOfRole.set(role, await signInCookie(service, await addStaff(service, [role])));
  });
  afterAll(() => service?.close());

  const getRoutes = () =>
    guardedRoutesOf(service.app).filter((r) => r.method === 'GET' && r.url.startsWith('/api/console/') && !r.url.includes(':'));

  it('reads every page of the list and the API each calls', () => {
    expect(pages.length).toBeGreaterThanOrEqual(20);
    expect(pages.find((p) => p.name === 'audit')).toMatchObject({
      permission: 'audit.read',
      paths: expect.arrayContaining(['/api/console/audit']),
    });
  });

  it('lets a member with the page permission read the page API, and refuses one without it', async () => {
    const disagreements: string[] = [];
    for (const page of pages.filter((p) => p.permission !== null)) {
      const routes = getRoutes().filter((r) => page.paths.includes(r.url));
      const own = routes.filter((r) => r.permission === page.permission);
      if (own.length === 0) {
        disagreements.push(
          `${page.name}: none of its API (${routes.map((r) => `${r.url} needs ${r.permission}`).join('; ') || 'no parameterless GET found'}) requires ${page.permission}`,
        );
        continue;
      }
      const holder = roles.find((role) => rolePermissions[role].includes(page.permission as Permission))!;
      const lacker = roles.find((role) => !rolePermissions[role].includes(page.permission as Permission))!;
      for (const route of own) {
        const allowed = await service.app.inject({ method: 'GET', url: route.url, headers: { cookie: cookieOfRole.get(holder)! } });
        const refused = await service.app.inject({ method: 'GET', url: route.url, headers: { cookie: cookieOfRole.get(lacker)! } });
        // 400: the route wants query parameters the page always sends; the guard let the member through.
        if (allowed.statusCode !== 200 && allowed.statusCode !== 400)
          disagreements.push(`${page.name}: ${holder} GET ${route.url} → ${allowed.statusCode}`);
        if (refused.statusCode !== 403) disagreements.push(`${page.name}: ${lacker} GET ${route.url} → ${refused.statusCode}`);
      }
    }
    expect(disagreements, disagreements.join('\n')).toEqual([]);
  });

  it('uses every permission: each guards at least one route (or a handler checks it, like payments.backdate)', () => {
    const used = new Set<string | null>(guardedRoutesOf(service.app).map((r) => r.permission));
    for (const permission of permissions) if (checkedInHandler(permission)) used.add(permission);
    expect(permissions.filter((p) => !used.has(p))).toEqual([]);
  });
});
