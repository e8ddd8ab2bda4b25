import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify's own schema compilers (Ajv for request validation, fast-json-stringify for responses),
 * keeping what they compiled for the life of the process.
 *
 * Building the app compiles every route's schemas: about 0.6 s of a service's start on this machine.
 * A production process builds the app once, so this changes nothing there. The test suite builds it
 * for every service it starts, hundreds of times a run in processes that share their modules, and
 * the same schema compiled against the same shared schemas and options gives the same function.
 * Both kinds of compiled function are pure (an Ajv validator's `errors` is set and read within one
 * synchronous call), so apps can share them.
 *
 * A compiled function is found by the schema's JSON text, not by object identity: routes written
 * inline build new schema objects each time the app is built. The JSON leaves out what compilation
 * ignores as well (TypeBox's symbol-keyed markers), and a schema written differently only misses
 * the cache.
 */
type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/** What Fastify passes a compiler: one part of one route's schema (`FastifyRouteSchemaDef`). */
interface RouteSchema {
  schema: unknown;
  method: string;
  url: string;
  httpPart?: string;
  httpStatus?: string;
}
type Compile = (route: RouteSchema) => unknown;
type Factory = (externalSchemas: unknown, options?: { customOptions?: unknown; mode?: string }) => Compile;

// Typed as Fastify calls them: @fastify/ajv-compiler declares its compiler as taking a bare schema,
// but Fastify passes it the route definition and it reads `schema` from that.
const ajvCompilers = AjvCompiler() as unknown as Factory;
const serializerCompilers = SerializerSelector() as unknown as Factory;
const compiled = new Map<string, unknown>();

const buildValidator: Factory = (externalSchemas, ajvOptions) => {
  const compile = ajvCompilers(externalSchemas, ajvOptions);
  // As Fastify pools its Ajv instances: by the shared schemas and Ajv's options (its plugins are Fastify's own).
  const context = `validator ${JSON.stringify(externalSchemas)} ${JSON.stringify(ajvOptions?.customOptions ?? {})} ${ajvOptions?.mode ?? ''}`;
  return (route) => remembered(`${context} ${JSON.stringify(route.schema)}`, () => compile(route));
};

const buildSerializer: Factory = (externalSchemas, serializerOptions) => {
  const compile = serializerCompilers(externalSchemas, serializerOptions);
  const context = `serializer ${JSON.stringify(externalSchemas ?? {})} ${JSON.stringify(serializerOptions ?? {})}`;
  return (route) => remembered(`${context} ${JSON.stringify(route.schema)}`, () => compile(route));
};

function remembered<T>(key: string, compile: () => T): T {
  if (compiled.has(key)) return compiled.get(key) as T;
  const value = compile();
  compiled.set(key, value);
  return value;
}

/** For `Fastify({ schemaController: { compilersFactory } })`. */
export const processWideSchemaCompilers = { buildValidator, buildSerializer } as unknown as CompilersFactory;
