import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../audit/index.js';
import { requireSubscriber } from '../../portal-auth/index.js';
import { requireStaff } from '../../staff/index.js';

export function staffActor(request: FastifyRequest): Actor {
  const staff = requireStaff(request);
  return { type: 'staff', id: staff.id, name: staff.username, ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

// The portal guard (portal-auth module) has resolved the session cookie before the handler runs.
export const subscriberOf = async (request: FastifyRequest): Promise<string> => requireSubscriber(request).subscriberId;
