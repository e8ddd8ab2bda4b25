import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { databaseOutageToProblem } from './failure-to-problem.js';
import { fieldErrorsOfValidation } from './field-errors.js';
import { PROBLEM_CONTENT_TYPE, ProblemError, problem, type ProblemBody, type ProblemCode } from './problems.js';

const frameworkErrorCodes: Record<string, ProblemCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
};

const statusProblems: Record<number, ProblemCode> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
  503: 'unavailable',
};

/**
 * SQLSTATE class 22 errors the database raises on a value it cannot take (a number past bigint, a text
 * that is no uuid, a date out of range). Route schemas should stop such input first; when one does
 * not, the client still hears it was their input, not our failure.
 */
const dataExceptionMessages: Record<string, string> = {
  '22003': 'A number is out of range',
  '22P02': 'A value is not in the expected format',
  '22007': 'A date or time is not valid',
  '22008': 'A date or time is out of range',
};

export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  // RFC 9110 §10.2.3: a 503 says when to come back.
  if (typeof body.retryAfterSeconds === 'number') void reply.header('retry-after', String(body.retryAfterSeconds));
  return reply.status(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Every error leaves as application/problem+json; unexpected ones are logged and told apart by request id. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ProblemError) return sendProblem(reply, error.body);
    if (error.validation) {
      const errors = fieldErrorsOfValidation(error.validationContext, error.validation);
      const detail = errors.map((fieldError) => `${fieldError.pointer}: ${fieldError.message}`).join('; ');
      return sendProblem(reply, problem('invalid-request', detail || 'The request is not valid', { errors }));
    }
    const known = error.code ? frameworkErrorCodes[error.code] : undefined;
    if (known) return sendProblem(reply, problem(known, error.message));
    const outage = databaseOutageToProblem(error);
    if (outage) {
      request.log.warn({ err: error }, 'database unavailable');
      return sendProblem(reply, outage.body);
    }
    const dataException = error.code && error.statusCode === undefined ? dataExceptionMessages[error.code] : undefined;
    if (dataException) {
      // Worth a look: a route schema let this through.
      request.log.warn({ err: error }, 'database refused a value from the request');
      return sendProblem(reply, problem('invalid-request', dataException));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendProblem(reply, problem(statusProblems[status] ?? 'invalid-request', error.message));
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, problem('internal', `Something went wrong on our side (request ${request.id}).`));
  });
}
