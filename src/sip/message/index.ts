export * from './grammar.js';
export * from './message.js';
export { defaultParseLimits, parseMessage, type ParseLimits, type ParseOutcome } from './parser.js';
export { RecentlyKept } from './recent-values.js';
export { createResponse, reasonPhrases, safeReason } from './response.js';
export { FramingError, StreamFramer, type Frame } from './stream-framer.js';
