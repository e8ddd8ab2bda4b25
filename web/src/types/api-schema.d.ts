// Generated from GET /api/openapi.json by `npm run generate:api-types`; do not edit.
export interface paths {
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness: the process answers */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readyz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness: the database answers and SIP is listening */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/problems/{code}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What a problem type means */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          code: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The operator's agreement parameters in force */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              settings: {
                [key: string]: string | number | boolean;
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Scheduled jobs and how far each has advanced */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                name: string;
                intervalSeconds: number;
                advancedTo: string | null;
                lastRunAt: string | null;
                lastDurationMs: number | null;
                lastError: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/staff/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign a staff member in (password, then TOTP code) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            username: string;
            password: string;
            totpCode?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              staff: {
                id: string;
                username: string;
                displayName: string;
                roles: string[];
                permissions: string[];
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/staff/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign out */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/staff/password-reset/preview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Whose password reset link this is, or why it no longer works */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            token: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              username: string;
              displayName: string;
              expiresAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/staff/password-reset': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Set a new password with a one-time reset link; ends every session of the account */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            token: string;
            password: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              username: string;
              totpEnrolmentRequired: boolean;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/staff/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in staff member */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              staff: {
                id: string;
                username: string;
                displayName: string;
                roles: string[];
                permissions: string[];
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/staff': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List staff accounts */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                id: string;
                username: string;
                displayName: string;
                roles: string[];
                status: 'active' | 'disabled';
                lockedUntil: string | null;
                lastLoginAt: string | null;
                totpEnrolled: boolean;
                createdAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Create a staff account; answers the TOTP enrolment secret once */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            username: string;
            displayName: string;
            password: string;
            roles: (
              | 'administrator'
              | 'verification_reviewer'
              | 'billing_clerk'
              | 'billing_supervisor'
              | 'support_agent'
              | 'technician'
              | 'legal_officer'
              | 'auditor'
            )[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              staff: {
                id: string;
                username: string;
                displayName: string;
                roles: string[];
                status: 'active' | 'disabled';
                lockedUntil: string | null;
                lastLoginAt: string | null;
                totpEnrolled: boolean;
                createdAt: string;
              };
              totp: {
                secret: string;
                uri: string;
                qrDataUrl: string;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/staff/{id}/roles': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Replace the roles of a staff account */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            roles: (
              | 'administrator'
              | 'verification_reviewer'
              | 'billing_clerk'
              | 'billing_supervisor'
              | 'support_agent'
              | 'technician'
              | 'legal_officer'
              | 'auditor'
            )[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              staff: {
                id: string;
                username: string;
                displayName: string;
                roles: string[];
                status: 'active' | 'disabled';
                lockedUntil: string | null;
                lastLoginAt: string | null;
                totpEnrolled: boolean;
                createdAt: string;
              };
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/staff/{id}/password-reset': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Issue a one-time password reset link (revokes older ones); the token is answered once */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              token: string;
              expiresAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/staff/{id}/unlock': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Unlock an account locked by failed sign-ins */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              staff: {
                id: string;
                username: string;
                displayName: string;
                roles: string[];
                status: 'active' | 'disabled';
                lockedUntil: string | null;
                lastLoginAt: string | null;
                totpEnrolled: boolean;
                createdAt: string;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/staff/{id}/disable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Disable an account and end its sessions */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              staff: {
                id: string;
                username: string;
                displayName: string;
                roles: string[];
                status: 'active' | 'disabled';
                lockedUntil: string | null;
                lastLoginAt: string | null;
                totpEnrolled: boolean;
                createdAt: string;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/staff/{id}/enable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Enable a disabled account */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              staff: {
                id: string;
                username: string;
                displayName: string;
                roles: string[];
                status: 'active' | 'disabled';
                lockedUntil: string | null;
                lastLoginAt: string | null;
                totpEnrolled: boolean;
                createdAt: string;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/staff/{id}/totp-reset': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Forget the second factor; the next sign-in enrols a new authenticator */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              staff: {
                id: string;
                username: string;
                displayName: string;
                roles: string[];
                status: 'active' | 'disabled';
                lockedUntil: string | null;
                lastLoginAt: string | null;
                totpEnrolled: boolean;
                createdAt: string;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read the audit log, newest first; `format=csv` streams the whole filtered log as CSV (UTF-8 with BOM) */
    get: {
      parameters: {
        query: {
          limit: number;
          beforeId?: number;
          action?: string;
          actorId?: string;
          actor?: string;
          targetType?: string;
          targetId?: string;
          from?: string;
          to?: string;
          lang: 'zh-CN' | 'en';
          format: 'json' | 'csv';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                id: string;
                at: string;
                actorType: 'staff' | 'subscriber' | 'system' | 'anonymous';
                actorId: string | null;
                actorName: string | null;
                action: string;
                actionText: string;
                targetType: string | null;
                targetId: string | null;
                targetName: string | null;
                outcome: 'success' | 'failure';
                ip: string | null;
                userAgent: string | null;
                before: unknown;
                after: unknown;
                detail: unknown;
              }[];
              nextBeforeId: number | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/events/dead-letters': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Events a consumer gave up on after repeated handler failures, oldest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                consumer: string;
                eventId: number;
                eventType: string;
                aggregateType: string;
                aggregateId: string;
                occurredAt: string;
                attempts: number;
                lastError: string;
                deadAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/events/dead-letters/{consumer}/{eventId}/dismissal': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Dismisses a dead letter: its event will not be handed to that consumer again */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          consumer: string;
          eventId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/numbers/{number}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A number's SIP account state, the reason it is not active, and its registrations */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          number: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              number: string;
              status: string;
              statusReason: string | null;
              registrations: {
                contact: string;
                transport: string;
                userAgent: string | null;
                expiresAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/sip/bans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Source addresses and digest usernames banned after failed SIP authentications (this node) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                kind: 'source' | 'username';
                value: string;
                since: string;
                until: string;
                failures: number;
                reason: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/sip/bans/{kind}/{value}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Lifts a SIP ban before it expires */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          kind: 'source' | 'username';
          value: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/subscribers/applications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Apply for the service as a person or an organisation (agreement clause 1) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json':
            | {
                /** @enum {string} */
                kind: 'individual';
                fullName: string;
                birthDate: string;
                address: string;
                idType: string;
                idNumber: string;
                employer?: string;
                contactPhone: string;
                planCode: string;
                creditLimitFen: number;
                terminalCode?: string;
                deliveryAddress?: string;
                password: string;
              }
            | {
                /** @enum {string} */
                kind: 'organisation';
                legalName: string;
                creditCode: string;
                address: string;
                contactName: string;
                contactPhone: string;
                planCode: string;
                creditLimitFen: number;
                terminalCode?: string;
                deliveryAddress?: string;
                password: string;
              };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              /** @enum {string} */
              status: 'applied';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/verification-queue': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Applications waiting for a reviewer, oldest first */
    get: {
      parameters: {
        query: {
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                id: string;
                kind: 'individual' | 'organisation';
                status: 'applied' | 'documents_requested' | 'approved' | 'rejected' | 'active' | 'suspended' | 'terminated';
                createdAt: string;
                documentsReceivedAt: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/subscribers/{id}/verification': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve, reject, ask for documents, or suspend for false data */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            decision: 'approve' | 'reject' | 'request-documents' | 'suspend-false-data';
            reason?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              status: 'applied' | 'documents_requested' | 'approved' | 'rejected' | 'active' | 'suspended' | 'terminated';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/subscribers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Subscribers with their identity data masked */
    get: {
      parameters: {
        query: {
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                id: string;
                kind: 'individual' | 'organisation';
                status: 'applied' | 'documents_requested' | 'approved' | 'rejected' | 'active' | 'suspended' | 'terminated';
                createdAt: string;
                identity: {
                  [key: string]: string;
                };
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/subscribers/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One subscriber, identity masked */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              kind: 'individual' | 'organisation';
              status: 'applied' | 'documents_requested' | 'approved' | 'rejected' | 'active' | 'suspended' | 'terminated';
              createdAt: string;
              identity: {
                [key: string]: string;
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/subscribers/{id}/reveal': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reveal one identity field in clear, stating why; the reveal is recorded */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            field: string;
            purpose: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              field: string;
              value: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/identity-reveals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who saw which identity value, when and why (purposes of at least 10 characters) */
    get: {
      parameters: {
        query: {
          subscriberId?: string;
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                id: string;
                at: string;
                subscriberId: string;
                field: string;
                staffId: string;
                staffUsername: string;
                purpose: string;
                ip: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/sign-in': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign in to the subscriber portal with the contact phone (or videophone number) and password */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            login: string;
            password: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              subscriberId: string;
              status: 'applied' | 'documents_requested' | 'approved' | 'rejected' | 'active' | 'suspended' | 'terminated';
              expiresAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/sign-out': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End this portal session */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in subscriber, their numbers and open suspensions */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              subscriberId: string;
              kind: 'individual' | 'organisation';
              status: 'applied' | 'documents_requested' | 'approved' | 'rejected' | 'active' | 'suspended' | 'terminated';
              displayName: string | null;
              numbers: string[];
              activatedAt: string | null;
              terminationRequestedAt: string | null;
              terminatedAt: string | null;
              suspensions: {
                cause: 'overdue' | 'credit-limit' | 'judicial' | 'false-data' | 'abuse' | 'termination';
                blocks: 'outgoing' | 'all';
                reason: string;
                startedAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/devices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The devices holding SIP credentials for the subscriber’s numbers */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              deviceId: string;
              number: string;
              name: string;
              createdAt: string;
              rotatedAt: string;
            }[];
          };
        };
      };
    };
    put?: never;
    /** SIP credentials for one device of the subscriber’s number; the password is shown once (again with deviceId: rotated) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            /** Format: uuid */
            deviceId?: string;
            number?: string;
            /** Format: uuid */
            licenceDeviceId?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              deviceId: string;
              number: string;
              displayName: string | null;
              authorizationUsername: string;
              password: string;
              domain: string;
              wsUri: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/devices/{deviceId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke one device’s credentials */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          deviceId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/termination': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ask to end the agreement (clause 11): it ends once every fee is settled */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json':
              | {
                  /** @enum {string} */
                  status: 'terminated';
                  terminatedAt: string;
                }
              | {
                  /** @enum {string} */
                  status: 'awaiting-settlement';
                  outstandingFen: number;
                };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/notice-contact': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Where my notices are e-mailed, and in which language */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              email: string | null;
              language: 'zh-CN' | 'en';
            };
          };
        };
      };
    };
    /** Change where my notices are e-mailed (null or empty: none) and their language */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            email?: string | null;
            language?: 'zh-CN' | 'en';
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              email: string | null;
              language: 'zh-CN' | 'en';
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/my-data': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Everything held about the subscriber, in clear, as a download (clause 1) */
    get: {
      parameters: {
        query?: {
          download?: boolean;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/catalog/price-list': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The published price list: plans, credit-limit choices and terminals, in fen and formatted */
    get: {
      parameters: {
        query: {
          /** @description Language of names and words */
          lang: 'zh-CN' | 'en';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              language: 'zh-CN' | 'en';
              /** @description ISO 4217 currency of every amount */
              currency: string;
              /**
               * Format: date-time
               * @description The instant the list was generated for
               */
              asOf: string;
              provider: {
                name: string;
                website: string;
              };
              /** @description How a call's charge is rounded, in words */
              rounding: string;
              plans: {
                /** @description The plan version; an order references it */
                id: string;
                code: string;
                name: string;
                description: string;
                monthlyRent: {
                  /** @description Amount in minor units (fen for CNY) */
                  fen: number;
                  /** @description The amount as printed in the requested language, e.g. ¥30.00 */
                  formatted: string;
                };
                includedMinutes: number;
                perMinuteRate: {
                  /** @description Rate per minute in 1/10000 fen */
                  precise: number;
                  /** @description e.g. ¥0.15 */
                  formatted: string;
                };
                billingIncrement: {
                  seconds: number;
                  /** @description e.g. "per 6 seconds, rounded up per call" */
                  description: string;
                };
                exampleCall: {
                  durationSeconds: number;
                  billableSeconds: number;
                  charge: {
                    /** @description Amount in minor units (fen for CNY) */
                    fen: number;
                    /** @description The amount as printed in the requested language, e.g. ¥30.00 */
                    formatted: string;
                  };
                };
                /** Format: date-time */
                validFrom: string;
                validTo: string | null;
              }[];
              creditLimits: {
                amount: {
                  /** @description Amount in minor units (fen for CNY) */
                  fen: number;
                  /** @description The amount as printed in the requested language, e.g. ¥30.00 */
                  formatted: string;
                };
                isDefault: boolean;
              }[];
              terminals: {
                code: string;
                name: string;
                description: string;
                price: {
                  /** @description Amount in minor units (fen for CNY) */
                  fen: number;
                  /** @description The amount as printed in the requested language, e.g. ¥30.00 */
                  formatted: string;
                };
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/catalog': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every plan version, credit-limit choice and terminal price, with whether each is scheduled, in effect or ended */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /**
               * Format: date
               * @description Today in the operator's time zone
               */
              today: string;
              timeZone: string;
              plans: {
                /** Format: uuid */
                id: string;
                code: string;
                nameZh: string;
                nameEn: string;
                descriptionZh: string;
                descriptionEn: string;
                monthlyRentFen: number;
                includedMinutes: number;
                perMinuteRatePrecise: number;
                billingIncrementSeconds: number;
                active: boolean;
                sortOrder: number;
                /** Format: date-time */
                validFrom: string;
                validTo: string | null;
                /** @description scheduled: may still be withdrawn; in-effect and ended: frozen */
                status: 'scheduled' | 'in-effect' | 'ended';
              }[];
              creditLimits: {
                amountFen: number;
                isDefault: boolean;
                active: boolean;
                /** Format: date-time */
                validFrom: string;
                validTo: string | null;
                /** @description scheduled: may still be withdrawn; in-effect and ended: frozen */
                status: 'scheduled' | 'in-effect' | 'ended';
              }[];
              terminals: {
                code: string;
                nameZh: string;
                nameEn: string;
                descriptionZh: string;
                descriptionEn: string;
                listed: boolean;
                sortOrder: number;
                prices: {
                  /** Format: uuid */
                  id: string;
                  priceFen: number;
                  /** Format: date-time */
                  validFrom: string;
                  validTo: string | null;
                  /** @description scheduled: may still be withdrawn; in-effect and ended: frozen */
                  status: 'scheduled' | 'in-effect' | 'ended';
                }[];
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/catalog/price-list': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Preview: the public price list as it will read at 00:00 of a date (what /prices shows from then) */
    get: {
      parameters: {
        query: {
          /** @description A local date in the operator's time zone; the change takes effect at 00:00 that day, which must not have passed */
          date: string;
          lang?: 'zh-CN' | 'en';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              language: 'zh-CN' | 'en';
              /** @description ISO 4217 currency of every amount */
              currency: string;
              /**
               * Format: date-time
               * @description The instant the list was generated for
               */
              asOf: string;
              provider: {
                name: string;
                website: string;
              };
              /** @description How a call's charge is rounded, in words */
              rounding: string;
              plans: {
                /** @description The plan version; an order references it */
                id: string;
                code: string;
                name: string;
                description: string;
                monthlyRent: {
                  /** @description Amount in minor units (fen for CNY) */
                  fen: number;
                  /** @description The amount as printed in the requested language, e.g. ¥30.00 */
                  formatted: string;
                };
                includedMinutes: number;
                perMinuteRate: {
                  /** @description Rate per minute in 1/10000 fen */
                  precise: number;
                  /** @description e.g. ¥0.15 */
                  formatted: string;
                };
                billingIncrement: {
                  seconds: number;
                  /** @description e.g. "per 6 seconds, rounded up per call" */
                  description: string;
                };
                exampleCall: {
                  durationSeconds: number;
                  billableSeconds: number;
                  charge: {
                    /** @description Amount in minor units (fen for CNY) */
                    fen: number;
                    /** @description The amount as printed in the requested language, e.g. ¥30.00 */
                    formatted: string;
                  };
                };
                /** Format: date-time */
                validFrom: string;
                validTo: string | null;
              }[];
              creditLimits: {
                amount: {
                  /** @description Amount in minor units (fen for CNY) */
                  fen: number;
                  /** @description The amount as printed in the requested language, e.g. ¥30.00 */
                  formatted: string;
                };
                isDefault: boolean;
              }[];
              terminals: {
                code: string;
                name: string;
                description: string;
                price: {
                  /** @description Amount in minor units (fen for CNY) */
                  fen: number;
                  /** @description The amount as printed in the requested language, e.g. ¥30.00 */
                  formatted: string;
                };
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/catalog/plans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A new plan, on offer from 00:00 of a date; audited */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            code: string;
            nameZh: string;
            nameEn: string;
            descriptionZh?: string;
            descriptionEn?: string;
            /** @description Monthly rent in fen */
            monthlyRentFen: number;
            includedMinutes: number;
            /** @description Rate per minute in 1/10000 fen (150000 = ¥0.15) */
            perMinuteRatePrecise: number;
            /** @description Seconds each call is rounded up to */
            billingIncrementSeconds: number;
            sortOrder?: number;
            /**
             * Format: date
             * @description A local date in the operator's time zone; the change takes effect at 00:00 that day, which must not have passed
             */
            validFrom: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              code: string;
              nameZh: string;
              nameEn: string;
              descriptionZh: string;
              descriptionEn: string;
              monthlyRentFen: number;
              includedMinutes: number;
              perMinuteRatePrecise: number;
              billingIncrementSeconds: number;
              active: boolean;
              sortOrder: number;
              /** Format: date-time */
              validFrom: string;
              validTo: string | null;
              /** @description scheduled: may still be withdrawn; in-effect and ended: frozen */
              status: 'scheduled' | 'in-effect' | 'ended';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/catalog/plans/{code}/versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A new version of a plan from 00:00 of a date: the version in effect then ends there; what is not given is carried over; audited */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          code: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            nameZh?: string;
            nameEn?: string;
            descriptionZh?: string;
            descriptionEn?: string;
            /** @description Monthly rent in fen */
            monthlyRentFen?: number;
            includedMinutes?: number;
            /** @description Rate per minute in 1/10000 fen (150000 = ¥0.15) */
            perMinuteRatePrecise?: number;
            /** @description Seconds each call is rounded up to */
            billingIncrementSeconds?: number;
            /**
             * Format: date
             * @description A local date in the operator's time zone; the change takes effect at 00:00 that day, which must not have passed
             */
            effectiveFrom: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              code: string;
              nameZh: string;
              nameEn: string;
              descriptionZh: string;
              descriptionEn: string;
              monthlyRentFen: number;
              includedMinutes: number;
              perMinuteRatePrecise: number;
              billingIncrementSeconds: number;
              active: boolean;
              sortOrder: number;
              /** Format: date-time */
              validFrom: string;
              validTo: string | null;
              /** @description scheduled: may still be withdrawn; in-effect and ended: frozen */
              status: 'scheduled' | 'in-effect' | 'ended';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/catalog/plan-versions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Withdraw a plan version that has not taken effect; one in effect, ended or on an order is frozen (409); audited */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              code: string;
              nameZh: string;
              nameEn: string;
              descriptionZh: string;
              descriptionEn: string;
              monthlyRentFen: number;
              includedMinutes: number;
              perMinuteRatePrecise: number;
              billingIncrementSeconds: number;
              active: boolean;
              sortOrder: number;
              /** Format: date-time */
              validFrom: string;
              validTo: string | null;
              /** @description scheduled: may still be withdrawn; in-effect and ended: frozen */
              status: 'scheduled' | 'in-effect' | 'ended';
            };
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/catalog/credit-limits': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Offer a new monthly credit limit (clause 9) from 00:00 of a date; audited */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            amountFen: number;
            /**
             * Format: date
             * @description A local date in the operator's time zone; the change takes effect at 00:00 that day, which must not have passed
             */
            validFrom: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              amountFen: number;
              isDefault: boolean;
              active: boolean;
              /** Format: date-time */
              validFrom: string;
              validTo: string | null;
              /** @description scheduled: may still be withdrawn; in-effect and ended: frozen */
              status: 'scheduled' | 'in-effect' | 'ended';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/catalog/credit-limits/{amountFen}/end': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Stop offering a credit limit from 00:00 of a date (those who chose it keep it); audited */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          amountFen: number;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /**
             * Format: date
             * @description A local date in the operator's time zone; the change takes effect at 00:00 that day, which must not have passed
             */
            validTo: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              amountFen: number;
              isDefault: boolean;
              active: boolean;
              /** Format: date-time */
              validFrom: string;
              validTo: string | null;
              /** @description scheduled: may still be withdrawn; in-effect and ended: frozen */
              status: 'scheduled' | 'in-effect' | 'ended';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/catalog/credit-limits/{amountFen}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Withdraw a credit limit announced for a later date; one already offered is frozen (409); audited */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          amountFen: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              amountFen: number;
              isDefault: boolean;
              active: boolean;
              /** Format: date-time */
              validFrom: string;
              validTo: string | null;
              /** @description scheduled: may still be withdrawn; in-effect and ended: frozen */
              status: 'scheduled' | 'in-effect' | 'ended';
            };
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/catalog/terminals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A new terminal model, on sale at its first price from 00:00 of a date; audited */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            code: string;
            nameZh: string;
            nameEn: string;
            descriptionZh?: string;
            descriptionEn?: string;
            priceFen: number;
            sortOrder?: number;
            /**
             * Format: date
             * @description A local date in the operator's time zone; the change takes effect at 00:00 that day, which must not have passed
             */
            validFrom: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/catalog/terminals/{code}/prices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A terminal's new price from 00:00 of a date; orders made before keep the price they copied; audited */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          code: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            priceFen: number;
            /**
             * Format: date
             * @description A local date in the operator's time zone; the change takes effect at 00:00 that day, which must not have passed
             */
            validFrom: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              priceFen: number;
              /** Format: date-time */
              validFrom: string;
              validTo: string | null;
              /** @description scheduled: may still be withdrawn; in-effect and ended: frozen */
              status: 'scheduled' | 'in-effect' | 'ended';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/catalog/terminal-prices/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Withdraw a terminal price that has not taken effect; one that has is frozen (409); audited */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              priceFen: number;
              /** Format: date-time */
              validFrom: string;
              validTo: string | null;
              /** @description scheduled: may still be withdrawn; in-effect and ended: frozen */
              status: 'scheduled' | 'in-effect' | 'ended';
            };
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/agreement': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The agreement to sign, filled with the subscriber’s order, its SHA-256, and the subscriber’s signatures so far */
    get: {
      parameters: {
        query: {
          lang: 'zh-CN' | 'en';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              version: number;
              language: string;
              text: string;
              textSha256: string;
              signatures: {
                id: string;
                version: number;
                language: string;
                signedAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/agreement/signatures': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign the agreement (clause 17): the subscriber confirms the hash of the exact text they read */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            version: number;
            /** @default zh-CN */
            language: 'zh-CN' | 'en';
            textSha256: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              text: string;
              signature: {
                id: string;
                subscriberId: string;
                version: number;
                language: string;
                textSha256: string;
                signedAt: string;
                ip: string | null;
                userAgent: string | null;
                operatorSignature: string;
                operatorKeyId: string;
              };
              operatorPublicKey: string;
            } & {
              activated: boolean;
              number: string | null;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/agreement/signatures/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The subscriber’s signed copy: exact text, signature record and the operator’s seal key (clause 17) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              text: string;
              signature: {
                id: string;
                subscriberId: string;
                version: number;
                language: string;
                textSha256: string;
                signedAt: string;
                ip: string | null;
                userAgent: string | null;
                operatorSignature: string;
                operatorKeyId: string;
              };
              operatorPublicKey: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/agreement/signatures/{id}/pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The subscriber’s signed copy as a PDF: the text, both parties’ signature details, the seal fingerprint and how to verify (clause 17) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/agreements/current': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The agreement in effect, with the operator’s terms filled in and placeholders for the order */
    get: {
      parameters: {
        query: {
          lang: 'zh-CN' | 'en';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              version: number;
              effectiveAt: string;
              language: string;
              text: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/agreement-signatures/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A signed agreement: the exact text, the signature record and the operator’s seal key (clause 17) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              text: string;
              signature: {
                id: string;
                subscriberId: string;
                version: number;
                language: string;
                textSha256: string;
                signedAt: string;
                ip: string | null;
                userAgent: string | null;
                operatorSignature: string;
                operatorKeyId: string;
              };
              operatorPublicKey: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/agreement-signatures/{id}/pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A signed agreement as a PDF: the text, both parties’ signature details, the seal fingerprint and how to verify (clause 17) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/agreements/verifications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Check a signed agreement, as the PDF or the JSON copy: the text’s SHA-256, the operator’s seal, and that a PDF was not altered (clause 17) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              valid: boolean;
              format: 'pdf' | 'json' | 'unknown';
              reason: null | 'unreadable' | 'no-signed-copy' | 'text-or-seal-invalid' | 'unknown-seal' | 'pdf-altered';
              signature: null | {
                id: string;
                version: number;
                language: string;
                signedAt: string;
                operatorKeyId: string;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/agreement-versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Agreement versions, newest first, with how subscribers answered each (notified, objected, accepted, accepted by silence) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              versions: {
                version: number;
                summary: string;
                publishedAt: string;
                effectiveAt: string;
                counts: {
                  notified: number;
                  pending: number;
                  objected: number;
                  accepted: number;
                  acceptedBySilence: number;
                };
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Publish the next agreement version (clause 15): every active or suspended subscriber is notified and may object until the end of the window */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            version: number;
            summary: string;
            /** Format: date-time */
            effectiveAt?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              version: number;
              summary: string;
              publishedAt: string;
              effectiveAt: string;
              lastDayToObject: string;
              objectionDeadline: string;
              notified: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/negotiation-cases': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Negotiation cases (clause 16), oldest first, optionally by status or one subscriber's */
    get: {
      parameters: {
        query: {
          status?: 'open' | 'resolved' | 'escalated-to-arbitration';
          subscriberId?: string;
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              cases: {
                id: string;
                subscriberId: string;
                subject: 'terms-change' | 'fee-dispute';
                version: number | null;
                status: 'open' | 'resolved' | 'escalated-to-arbitration';
                openedAt: string;
                resolvedAt: string | null;
                entryCount: number;
                subscriberName: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/negotiation-cases/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One negotiation case with its whole history */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              subject: 'terms-change' | 'fee-dispute';
              version: number | null;
              disputeId: string | null;
              status: 'open' | 'resolved' | 'escalated-to-arbitration';
              openedAt: string;
              resolvedAt: string | null;
              outcome: string | null;
              arbitrationBody: string | null;
              entries: {
                id: number;
                authorType: 'subscriber' | 'staff';
                authorId: string;
                authorName: string | null;
                at: string;
                text: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/negotiation-cases/{id}/entries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The operator writes in an open negotiation case; the subscriber is told */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            text: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: number;
              authorType: 'subscriber' | 'staff';
              authorId: string;
              authorName: string | null;
              at: string;
              text: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/negotiation-cases/{id}/resolution': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Close an open case: resolved by agreement, or escalated to the arbitration body the agreement names */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            outcome: 'resolved' | 'escalated-to-arbitration';
            text: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              subject: 'terms-change' | 'fee-dispute';
              version: number | null;
              disputeId: string | null;
              status: 'open' | 'resolved' | 'escalated-to-arbitration';
              openedAt: string;
              resolvedAt: string | null;
              outcome: string | null;
              arbitrationBody: string | null;
              entries: {
                id: number;
                authorType: 'subscriber' | 'staff';
                authorId: string;
                authorName: string | null;
                at: string;
                text: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/terms-changes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The subscriber’s pending terms changes: what changes, from when, and the last day to object */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              termsChanges: {
                version: number;
                summary: string;
                notifiedAt: string;
                effectiveAt: string;
                lastDayToObject: string;
                objectionDeadline: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/agreement-versions/{version}/changes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The full text of an agreement version, filled with the subscriber’s order, and a readable diff against the version in force (clause 15) */
    get: {
      parameters: {
        query: {
          lang: 'zh-CN' | 'en';
        };
        header?: never;
        path: {
          version: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              version: number;
              language: string;
              text: string;
              inForce: {
                version: number;
                text: string;
              } | null;
              diff: {
                change: 'same' | 'inserted' | 'deleted';
                text: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/agreement-versions/{version}/objection': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Object to a new agreement version (clause 15) until the end of the last day to object, operator’s time; opens a negotiation case (clause 16) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          version: number;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              subject: 'terms-change' | 'fee-dispute';
              version: number | null;
              disputeId: string | null;
              status: 'open' | 'resolved' | 'escalated-to-arbitration';
              openedAt: string;
              resolvedAt: string | null;
              outcome: string | null;
              arbitrationBody: string | null;
              entries: {
                id: number;
                authorType: 'subscriber' | 'staff';
                authorId: string;
                authorName: string | null;
                at: string;
                text: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/agreement-versions/{version}/acceptance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Accept a new agreement version explicitly, before the objection window ends */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          version: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              version: number;
              /** @enum {string} */
              response: 'accepted';
              respondedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/negotiation-cases': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The subscriber’s negotiation cases, each with its whole history */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              cases: {
                id: string;
                subscriberId: string;
                subject: 'terms-change' | 'fee-dispute';
                version: number | null;
                disputeId: string | null;
                status: 'open' | 'resolved' | 'escalated-to-arbitration';
                openedAt: string;
                resolvedAt: string | null;
                outcome: string | null;
                arbitrationBody: string | null;
                entries: {
                  id: number;
                  authorType: 'subscriber' | 'staff';
                  authorId: string;
                  authorName: string | null;
                  at: string;
                  text: string;
                }[];
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/negotiation-cases/{id}/entries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The subscriber writes in one of their own open negotiation cases */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            text: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: number;
              authorType: 'subscriber' | 'staff';
              authorId: string;
              authorName: string | null;
              at: string;
              text: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/licence': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The client software licence in force (clause 3), in the reader’s language, and whether this device accepted it */
    get: {
      parameters: {
        query?: {
          lang?: 'zh-CN' | 'en';
          deviceId?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              version: number;
              effectiveAt: string;
              language: 'zh-CN' | 'en';
              text: string;
              textSha256: string;
              accepted: boolean;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/licence/acceptances': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Accept the licence in force on this device (time, device, User-Agent and the text’s hash are recorded); again on the same device: the first record; another version: 409 */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            version: number;
            /** Format: uuid */
            deviceId: string;
            language?: 'zh-CN' | 'en';
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              version: number;
              deviceId: string;
              userAgent: string | null;
              language: string;
              textSha256: string;
              acceptedAt: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              version: number;
              deviceId: string;
              userAgent: string | null;
              language: string;
              textSha256: string;
              acceptedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/licence-versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Client licence versions, newest first: texts, their hashes, which is in force, and how many subscribers and devices accepted each */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              versions: {
                version: number;
                effectiveAt: string;
                current: boolean;
                summary: {
                  'zh-CN': string;
                  en: string;
                };
                texts: {
                  'zh-CN': string;
                  en: string;
                };
                textSha256: {
                  'zh-CN': string;
                  en: string;
                };
                accepted: {
                  subscribers: number;
                  devices: number;
                };
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/subscribers/{id}/licence-acceptances': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A subscriber’s acceptances of the client licence, newest first: version, device, User-Agent, time and the text’s hash */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              acceptances: {
                id: string;
                version: number;
                deviceId: string;
                userAgent: string | null;
                language: string;
                textSha256: string;
                acceptedAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/documents/{kind}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Upload a copy of an ID or licence that was asked for: the raw file as the body (JPEG, PNG or PDF, at most 5 MiB) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          kind: 'id-front' | 'id-back' | 'business-licence' | 'other';
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              kind: string;
              contentType: string;
              sizeBytes: number;
              sha256: string;
              uploadedAt: string;
              status: string;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/documents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The documents the subscriber has uploaded (metadata only) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                id: string;
                kind: string;
                contentType: string;
                sizeBytes: number;
                sha256: string;
                uploadedAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/verification': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Where the application stands, and the reason the reviewer gave for the latest decision */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              status: string;
              decision: string | null;
              reason: string | null;
              decidedAt: string | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/subscribers/{id}/documents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Documents on file for a subscriber (metadata only) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                id: string;
                kind: string;
                contentType: string;
                sizeBytes: number;
                sha256: string;
                uploadedAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/subscribers/{id}/documents/{documentId}/view': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** View a document's content, stating why (at least 10 characters); the view is recorded first */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          documentId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            purpose: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/legal-requests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Recorded legal requests, newest first (which fields were disclosed, never their values) */
    get: {
      parameters: {
        query: {
          subscriberId?: string;
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                id: string;
                at: string;
                subscriberId: string;
                authority: string;
                legalBasis: string;
                documentReference: string;
                fields: string[];
                purpose: string;
                staffId: string;
                staffUsername: string;
                ip: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Record a legal request (authority, legal basis, document) and disclose the identity fields it demands */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            subscriberId: string;
            authority?: string;
            legalBasis?: string;
            documentReference?: string;
            fields: string[];
            purpose?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              request: {
                id: string;
                at: string;
                subscriberId: string;
                authority: string;
                legalBasis: string;
                documentReference: string;
                fields: string[];
                purpose: string;
                staffId: string;
                staffUsername: string;
                ip: string | null;
              };
              values: {
                [key: string]: string;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/legal/judicial-orders': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Judicial orders, newest first (the listing is audited) */
    get: {
      parameters: {
        query: {
          subscriberId?: string;
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                id: string;
                subscriberId: string;
                authority: string;
                caseNumber: string;
                legalBasis: string;
                document: {
                  contentType: string;
                  sizeBytes: number;
                  sha256: string;
                };
                scope: 'all' | 'outgoing';
                /** Format: date-time */
                from: string;
                until: string | null;
                endCallsInProgress: boolean;
                discloseToSubscriber: boolean;
                status: 'scheduled' | 'in-force' | 'ended' | 'lifted';
                /** Format: date-time */
                createdAt: string;
                createdBy: string;
                appliedAt: string | null;
                endedAt: string | null;
                liftedAt: string | null;
                liftedBy: string | null;
                liftReason: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Record a judicial or state-security order (clause 10) with its document; one effective now suspends the subscriber's service at once */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            subscriberId?: string;
            number?: string;
            authority: string;
            caseNumber: string;
            legalBasis: string;
            scope: 'all' | 'outgoing';
            from?: string | null;
            until?: string | null;
            endCallsInProgress: boolean;
            discloseToSubscriber: boolean;
            document: {
              contentType: string;
              base64: string;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              authority: string;
              caseNumber: string;
              legalBasis: string;
              document: {
                contentType: string;
                sizeBytes: number;
                sha256: string;
              };
              scope: 'all' | 'outgoing';
              /** Format: date-time */
              from: string;
              until: string | null;
              endCallsInProgress: boolean;
              discloseToSubscriber: boolean;
              status: 'scheduled' | 'in-force' | 'ended' | 'lifted';
              /** Format: date-time */
              createdAt: string;
              createdBy: string;
              appliedAt: string | null;
              endedAt: string | null;
              liftedAt: string | null;
              liftedBy: string | null;
              liftReason: string | null;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/legal/judicial-orders/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One judicial order (the view is audited) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              authority: string;
              caseNumber: string;
              legalBasis: string;
              document: {
                contentType: string;
                sizeBytes: number;
                sha256: string;
              };
              scope: 'all' | 'outgoing';
              /** Format: date-time */
              from: string;
              until: string | null;
              endCallsInProgress: boolean;
              discloseToSubscriber: boolean;
              status: 'scheduled' | 'in-force' | 'ended' | 'lifted';
              /** Format: date-time */
              createdAt: string;
              createdBy: string;
              appliedAt: string | null;
              endedAt: string | null;
              liftedAt: string | null;
              liftedBy: string | null;
              liftReason: string | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/legal/judicial-orders/{id}/document': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The order's document as received (the download is audited) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/legal/judicial-orders/{id}/lift': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Lift an order (its suspension closes at once; the subscriber's other suspensions stay) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              authority: string;
              caseNumber: string;
              legalBasis: string;
              document: {
                contentType: string;
                sizeBytes: number;
                sha256: string;
              };
              scope: 'all' | 'outgoing';
              /** Format: date-time */
              from: string;
              until: string | null;
              endCallsInProgress: boolean;
              discloseToSubscriber: boolean;
              status: 'scheduled' | 'in-force' | 'ended' | 'lifted';
              /** Format: date-time */
              createdAt: string;
              createdBy: string;
              appliedAt: string | null;
              endedAt: string | null;
              liftedAt: string | null;
              liftedBy: string | null;
              liftReason: string | null;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/legal/abuse-reports': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Abuse reports, newest first (the listing is audited) */
    get: {
      parameters: {
        query: {
          subscriberId?: string;
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                id: string;
                subscriberId: string;
                description: string;
                /** Format: date-time */
                reportedAt: string;
                reportedBy: string;
                decision: 'pending' | 'suspend' | 'dismiss';
                decisionNote: string | null;
                decidedAt: string | null;
                decidedBy: string | null;
                liftedAt: string | null;
                liftedBy: string | null;
                liftReason: string | null;
                evidence: {
                  id: string;
                  fileName: string;
                  contentType: string;
                  sizeBytes: number;
                  sha256: string;
                }[];
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Record a report of unlawful use (clause 3) with up to 5 evidence files (PDF, JPEG, PNG) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            subscriberId?: string;
            number?: string;
            description: string;
            evidence: {
              fileName: string;
              contentType: string;
              base64: string;
            }[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              description: string;
              /** Format: date-time */
              reportedAt: string;
              reportedBy: string;
              decision: 'pending' | 'suspend' | 'dismiss';
              decisionNote: string | null;
              decidedAt: string | null;
              decidedBy: string | null;
              liftedAt: string | null;
              liftedBy: string | null;
              liftReason: string | null;
              evidence: {
                id: string;
                fileName: string;
                contentType: string;
                sizeBytes: number;
                sha256: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/legal/abuse-reports/{id}/evidence/{evidenceId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One evidence file of a report (the download is audited) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          evidenceId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/legal/abuse-reports/{id}/decision': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Decide a report: suspend the subscriber (cause abuse) or dismiss it */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            decision: 'suspend' | 'dismiss';
            note: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              description: string;
              /** Format: date-time */
              reportedAt: string;
              reportedBy: string;
              decision: 'pending' | 'suspend' | 'dismiss';
              decisionNote: string | null;
              decidedAt: string | null;
              decidedBy: string | null;
              liftedAt: string | null;
              liftedBy: string | null;
              liftReason: string | null;
              evidence: {
                id: string;
                fileName: string;
                contentType: string;
                sizeBytes: number;
                sha256: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/legal/abuse-reports/{id}/lift': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Lift the suspension a report's decision opened */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              description: string;
              /** Format: date-time */
              reportedAt: string;
              reportedBy: string;
              decision: 'pending' | 'suspend' | 'dismiss';
              decisionNote: string | null;
              decidedAt: string | null;
              decidedBy: string | null;
              liftedAt: string | null;
              liftedBy: string | null;
              liftReason: string | null;
              evidence: {
                id: string;
                fileName: string;
                contentType: string;
                sizeBytes: number;
                sha256: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/service-restrictions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What the subscriber is told about a judicial suspension: a neutral notice and the support contact, and the details of those orders the legal officer allowed to be disclosed */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              supportContact: string;
              notice: {
                en: string;
                'zh-CN': string;
              };
              disclosedOrders: {
                authority: string;
                caseNumber: string;
                legalBasis: string;
                scope: 'all' | 'outgoing';
                /** Format: date-time */
                from: string;
                until: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Where the service stands: every open suspension with its cause, a termination in progress and what it waits on, what is owed now; each with the action that resolves it */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              headline: 'applied' | 'documents_requested' | 'approved' | 'rejected' | 'active' | 'suspended' | 'terminated' | 'terminating';
              owedNowFen: number;
              supportContact: string;
              items: (
                | {
                    /** @enum {string} */
                    kind: 'suspension';
                    cause: 'overdue' | 'credit-limit' | 'judicial' | 'false-data' | 'abuse';
                    blocks: 'outgoing' | 'all';
                    since: string;
                    actions: (
                      | {
                          /** @enum {string} */
                          kind: 'pay';
                          purpose: 'bill' | 'balance' | 'month-fees' | 'final-settlement';
                          billId: string | null;
                          amountFen: number;
                        }
                      | {
                          /** @enum {string} */
                          kind: 'contact-support';
                        }
                      | {
                          /** @enum {string} */
                          kind: 'read-notices';
                        }
                      | {
                          /** @enum {string} */
                          kind: 'send-documents';
                        }
                      | {
                          /** @enum {string} */
                          kind: 'raise-credit-limit';
                        }
                    )[];
                  }
                | {
                    /** @enum {string} */
                    kind: 'termination';
                    requestedAt: string;
                    waitsOn: 'final-settlement' | 'completion';
                    amountFen: number;
                    actions: (
                      | {
                          /** @enum {string} */
                          kind: 'pay';
                          purpose: 'bill' | 'balance' | 'month-fees' | 'final-settlement';
                          billId: string | null;
                          amountFen: number;
                        }
                      | {
                          /** @enum {string} */
                          kind: 'contact-support';
                        }
                      | {
                          /** @enum {string} */
                          kind: 'read-notices';
                        }
                      | {
                          /** @enum {string} */
                          kind: 'send-documents';
                        }
                      | {
                          /** @enum {string} */
                          kind: 'raise-credit-limit';
                        }
                    )[];
                  }
                | {
                    /** @enum {string} */
                    kind: 'owed';
                    amountFen: number;
                    overdue: boolean;
                    actions: (
                      | {
                          /** @enum {string} */
                          kind: 'pay';
                          purpose: 'bill' | 'balance' | 'month-fees' | 'final-settlement';
                          billId: string | null;
                          amountFen: number;
                        }
                      | {
                          /** @enum {string} */
                          kind: 'contact-support';
                        }
                      | {
                          /** @enum {string} */
                          kind: 'read-notices';
                        }
                      | {
                          /** @enum {string} */
                          kind: 'send-documents';
                        }
                      | {
                          /** @enum {string} */
                          kind: 'raise-credit-limit';
                        }
                    )[];
                  }
              )[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/turn-credentials': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Time-limited TURN credentials for the softphone (draft-uberti-behave-turn-rest) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              username: string;
              credential: string;
              ttl: number;
              urls: string[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/calls': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in subscriber's recent calls, missed ones flagged */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              calls: {
                callId: string;
                /** @description The call record: what a fee dispute about this call names */
                recordId: string;
                direction: 'outgoing' | 'incoming';
                number: string;
                peer: string;
                status: 'ringing' | 'answered' | 'completed' | 'failed' | 'cancelled';
                finalStatus: number | null;
                missed: boolean;
                /** Format: date-time */
                startedAt: string;
                durationMs: number | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/calls/quality-reports': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** What the softphone measured over a call, sent when it ends (keyed by SIP Call-ID) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            callId: string;
            direction: 'outgoing' | 'incoming';
            durationMs: number;
            rttMs: number | null;
            jitterMs: number | null;
            lossPercent: number | null;
            packetsLost: number | null;
            framesDecoded: number | null;
            audioPacketsReceived: number | null;
            sendKbps: number | null;
            receiveKbps: number | null;
            audioCodec: string | null;
            videoCodec: string | null;
            localCandidateType: string | null;
            remoteCandidateType: string | null;
            relayProtocol: string | null;
            userAgent?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/softphone/problems': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A softphone reports a failure the person saw (relay refused, ICE failed, media path lost and restarted), for the operator’s logs */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            kind: 'turn-failed' | 'ice-failed' | 'ice-restart';
            callId?: string;
            detail?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              logged: boolean;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/calls': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A number's recent calls, each with how many quality reports its ends sent (the view is audited) */
    get: {
      parameters: {
        query: {
          number: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              calls: {
                callId: string;
                caller: string;
                callee: string;
                status: 'ringing' | 'answered' | 'completed' | 'failed' | 'cancelled';
                finalStatus: number | null;
                /** Format: date-time */
                invitedAt: string;
                durationMs: number | null;
                qualityReports: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/calls/{callId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A call record with the quality reports both ends sent, for support (the view is audited) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          callId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              records: {
                id: string;
                caller: string;
                callee: string;
                status: 'ringing' | 'answered' | 'completed' | 'failed' | 'cancelled';
                finalStatus: number | null;
                /** Format: date-time */
                invitedAt: string;
                answeredAt: string | null;
                endedAt: string | null;
                durationMs: number | null;
                hungUpBy: string | null;
                endReason: string | null;
              }[];
              qualityReports: {
                id: string;
                reporter: string;
                direction: 'outgoing' | 'incoming';
                /** Format: date-time */
                receivedAt: string;
                durationMs: number;
                rttMs: number | null;
                jitterMs: number | null;
                lossPercent: number | null;
                packetsLost: number | null;
                framesDecoded: number | null;
                audioPacketsReceived: number | null;
                sendKbps: number | null;
                receiveKbps: number | null;
                audioCodec: string | null;
                videoCodec: string | null;
                localCandidateType: string | null;
                remoteCandidateType: string | null;
                relayProtocol: string | null;
                userAgent: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/bills': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in subscriber's bills, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              bills: {
                id: string;
                /** @description A calendar day, YYYY-MM-DD */
                period: string;
                kind: 'regular' | 'final' | 'supplementary';
                /** @description A calendar day, YYYY-MM-DD */
                issueDate: string;
                /** @description A calendar day, YYYY-MM-DD */
                dueDate: string;
                totalFen: number;
                outstandingFen: number;
                status: 'paid' | 'open' | 'overdue';
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/bills/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One bill with every line explained and its late fee so far */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              /** @description A calendar day, YYYY-MM-DD */
              period: string;
              kind: 'regular' | 'final' | 'supplementary';
              /** @description A calendar day, YYYY-MM-DD */
              issueDate: string;
              /** @description A calendar day, YYYY-MM-DD */
              dueDate: string;
              totalFen: number;
              outstandingFen: number;
              status: 'paid' | 'open' | 'overdue';
              subscriberId: string;
              serviceFrom: string | null;
              serviceTo: string | null;
              lateFeeFen: number;
              principalFen: number;
              lines: {
                position: number;
                /** @description The ledger entry on this line: what a fee dispute about the line names */
                entryId: string;
                kind: 'rent' | 'usage' | 'late_fee' | 'payment' | 'refund' | 'credit_note' | 'adjustment' | 'correction';
                amountFen: number;
                description: string;
                /** @description What the amount is made of; its shape depends on the kind */
                detail: unknown;
              }[];
              lateFee: {
                daysLate: number;
                accruedFen: number;
                postedFen: number;
                ratePerDay: string;
              };
              payments: {
                /** Format: date-time */
                paidAt: string;
                amountFen: number;
                channel: 'webhook' | 'bank-file' | 'manual';
                backdateReason: string | null;
              }[];
              /** @description Credit notes posted since the previous bill, shown on this one */
              credits: {
                /** Format: date-time */
                postedAt: string;
                amountFen: number;
                description: string;
                /** @description What the credit corrects (a dispute, an outage, a bill) */
                detail: unknown;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/bills/{id}/pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One bill as PDF, in Chinese and English */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/balance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Balance, overdue amount, credit and late fees accruing */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              balanceFen: number;
              outstandingFen: number;
              overdueFen: number;
              creditFen: number;
              accruingLateFeesFen: number;
              /** @description What paying today settles (late fees through today, charges not yet billed, service to today, less credit) */
              owedNow: {
                /** @description A calendar day, YYYY-MM-DD */
                asOf: string;
                onBillsFen: number;
                unbilledChargesFen: number;
                lateFeesAccruingFen: number;
                unbilledServiceFen: number;
                creditFen: number;
                totalFen: number;
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/usage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This month's calls: included and charged time, charge so far */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description A calendar day, YYYY-MM-DD */
              period: string;
              calls: number;
              billableSeconds: number;
              includedSeconds: number;
              chargedSeconds: number;
              chargeFen: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/billing/bill-runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Bill runs with their progress, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              runs: {
                /** @description A calendar day, YYYY-MM-DD */
                period: string;
                /** Format: date-time */
                startedAt: string;
                finishedAt: string | null;
                subscribersTotal: number;
                subscribersBilled: number;
                lastError: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/billing/subscribers/{subscriberId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A subscriber's bills, balance and dunning stage; the ledger too for those who move money (billing.manage or payments.record) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          subscriberId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              balance: {
                balanceFen: number;
                outstandingFen: number;
                overdueFen: number;
                creditFen: number;
                accruingLateFeesFen: number;
                /** @description What paying today settles (late fees through today, charges not yet billed, service to today, less credit) */
                owedNow: {
                  /** @description A calendar day, YYYY-MM-DD */
                  asOf: string;
                  onBillsFen: number;
                  unbilledChargesFen: number;
                  lateFeesAccruingFen: number;
                  unbilledServiceFen: number;
                  creditFen: number;
                  totalFen: number;
                };
              };
              dunning: {
                stage: string;
                since: string | null;
                oldestUnpaidDueDate: string | null;
                overdueFen: number;
              };
              bills: {
                id: string;
                /** @description A calendar day, YYYY-MM-DD */
                period: string;
                kind: 'regular' | 'final' | 'supplementary';
                /** @description A calendar day, YYYY-MM-DD */
                issueDate: string;
                /** @description A calendar day, YYYY-MM-DD */
                dueDate: string;
                totalFen: number;
                outstandingFen: number;
                status: 'paid' | 'open' | 'overdue';
              }[];
              ledger?: {
                id: string;
                seq: number;
                kind: 'rent' | 'usage' | 'late_fee' | 'payment' | 'refund' | 'credit_note' | 'adjustment' | 'correction';
                amountFen: number;
                billId: string | null;
                callRecordId: string | null;
                paymentId: string | null;
                description: string;
                detail: unknown;
                /** Format: date-time */
                postedAt: string;
                onBillId: string | null;
                position: number | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/billing/bills/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One bill, line by line */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              /** @description A calendar day, YYYY-MM-DD */
              period: string;
              kind: 'regular' | 'final' | 'supplementary';
              /** @description A calendar day, YYYY-MM-DD */
              issueDate: string;
              /** @description A calendar day, YYYY-MM-DD */
              dueDate: string;
              totalFen: number;
              outstandingFen: number;
              status: 'paid' | 'open' | 'overdue';
              subscriberId: string;
              serviceFrom: string | null;
              serviceTo: string | null;
              lateFeeFen: number;
              principalFen: number;
              lines: {
                position: number;
                /** @description The ledger entry on this line: what a fee dispute about the line names */
                entryId: string;
                kind: 'rent' | 'usage' | 'late_fee' | 'payment' | 'refund' | 'credit_note' | 'adjustment' | 'correction';
                amountFen: number;
                description: string;
                /** @description What the amount is made of; its shape depends on the kind */
                detail: unknown;
              }[];
              lateFee: {
                daysLate: number;
                accruedFen: number;
                postedFen: number;
                ratePerDay: string;
              };
              payments: {
                /** Format: date-time */
                paidAt: string;
                amountFen: number;
                channel: 'webhook' | 'bank-file' | 'manual';
                backdateReason: string | null;
              }[];
              /** @description Credit notes posted since the previous bill, shown on this one */
              credits: {
                /** Format: date-time */
                postedAt: string;
                amountFen: number;
                description: string;
                /** @description What the credit corrects (a dispute, an outage, a bill) */
                detail: unknown;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/billing/bills/{id}/pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One bill as PDF */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/billing/receivables/ageing': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Outstanding bills by days past due */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              buckets: {
                bucket: string;
                bills: number;
                amountFen: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/billing/payments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Record a payment received at the desk (audited); a reference recorded before is not recorded twice */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            subscriberId: string;
            amountFen: number;
            reference: string;
            /** Format: date-time */
            paidAt?: string;
            /** @description Required, with the permission payments.backdate, when paidAt is more than VP_PAYMENT_BACKDATE_TOLERANCE_DAYS back */
            backdateReason?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              paymentId: string;
              duplicate: boolean;
              allocatedFen: number;
              creditFen: number;
              lateFeesPostedFen: number;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              paymentId: string;
              duplicate: boolean;
              allocatedFen: number;
              creditFen: number;
              lateFeesPostedFen: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/billing/subscribers/{subscriberId}/adjustments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** An adjustment (a charge on the next bill) or a credit note (money back), with a reason (audited) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          subscriberId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            kind: 'adjustment' | 'credit_note';
            amountFen: number;
            reason: string;
            /** Format: uuid */
            billId?: string;
            idempotencyKey: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              entryId: string;
              duplicate: boolean;
            };
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              entryId: string;
              duplicate: boolean;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/billing/subscribers/{subscriberId}/refunds': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Refund unapplied credit (audited) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          subscriberId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            amountFen: number;
            reason: string;
            /** Format: uuid */
            paymentId?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              refundId: string;
              creditFen: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/billing/reconciliation/preview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** What importing a bank reconciliation file would do, row by row */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            fileName: string;
            csv: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              importId: string | null;
              accepted: number;
              duplicates: number;
              rejected: number;
              totalAcceptedFen: number;
              rows: {
                line: number;
                status: 'accepted' | 'duplicate' | 'rejected';
                problem:
                  | (
                      | 'unreadable'
                      | 'no-reference'
                      | 'bad-date'
                      | 'bad-amount'
                      | 'bad-subscriber-id'
                      | 'repeated-reference'
                      | 'no-account'
                      | 'future-date'
                      | 'reference-conflict'
                      | 'imported-before'
                      | 'payment-refused'
                    )
                  | null;
                reason: string | null;
                reference: string | null;
                subscriberId: string | null;
                amountFen: number | null;
                date: string | null;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/billing/reconciliation/import': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Import a bank reconciliation file; returns the accepted, duplicate and rejected rows */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            fileName: string;
            csv: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              importId: string | null;
              accepted: number;
              duplicates: number;
              rejected: number;
              totalAcceptedFen: number;
              rows: {
                line: number;
                status: 'accepted' | 'duplicate' | 'rejected';
                problem:
                  | (
                      | 'unreadable'
                      | 'no-reference'
                      | 'bad-date'
                      | 'bad-amount'
                      | 'bad-subscriber-id'
                      | 'repeated-reference'
                      | 'no-account'
                      | 'future-date'
                      | 'reference-conflict'
                      | 'imported-before'
                      | 'payment-refused'
                    )
                  | null;
                reason: string | null;
                reference: string | null;
                subscriberId: string | null;
                amountFen: number | null;
                date: string | null;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/payments/webhook/{provider}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A payment provider's signed notification (HMAC-SHA256 of `<timestamp>.<body>`); delivering it again records nothing new */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          provider: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            reference: string;
            /** Format: uuid */
            subscriberId: string;
            amountFen: number;
            /** Format: date-time */
            paidAt: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              paymentId: string;
              duplicate: boolean;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/credit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This month's fees against the credit limit, and the limits the subscriber may choose */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              gauge: {
                /** @description A calendar day, YYYY-MM-DD */
                period: string;
                limitFen: number;
                /** @description Fees of the month's completed calls */
                settledFen: number;
                /** @description What calls in progress hold: the most they may still cost */
                reservedFen: number;
                callsInProgress: number;
                /** @description Money paid ahead, which pays for fees incurred */
                creditFen: number;
                /** @description limit + credit − settled − reserved, never below zero */
                headroomFen: number;
                /** @description Fees (settled and held) as a share of the limit, in whole percent */
                percent: number;
                /** @description Calling is blocked for the credit limit (clause 9) until the fees are paid or the limit raised */
                blocked: boolean;
                alerts: {
                  percent: 80 | 100;
                  /** Format: date-time */
                  at: string;
                }[];
              } | null;
              options: {
                amountFen: number;
                isDefault: boolean;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/credit-limit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Choose another of the offered credit limits (audited); a higher one lifts a credit-limit block at once */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description The new monthly credit limit in fen */
            limitFen: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              limitFen: number;
              previousFen: number | null;
              /** @description The new limit lifted a credit-limit block at once */
              restored: boolean;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/charging/subscribers/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A subscriber's gauge for this month and their charging history, newest first */
    get: {
      parameters: {
        query: {
          limit: number;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              gauge: {
                /** @description A calendar day, YYYY-MM-DD */
                period: string;
                limitFen: number;
                /** @description Fees of the month's completed calls */
                settledFen: number;
                /** @description What calls in progress hold: the most they may still cost */
                reservedFen: number;
                callsInProgress: number;
                /** @description Money paid ahead, which pays for fees incurred */
                creditFen: number;
                /** @description limit + credit − settled − reserved, never below zero */
                headroomFen: number;
                /** @description Fees (settled and held) as a share of the limit, in whole percent */
                percent: number;
                /** @description Calling is blocked for the credit limit (clause 9) until the fees are paid or the limit raised */
                blocked: boolean;
                alerts: {
                  percent: 80 | 100;
                  /** Format: date-time */
                  at: string;
                }[];
              };
              history: {
                /** Format: date-time */
                at: string;
                kind: 'authorized' | 'refused' | 'cutoff' | 'exhausted' | 'restored' | 'alert' | 'limit-changed';
                callKey: string | null;
                /** @description What happened, by kind (seconds granted, money held, the fees, the old and new limit) */
                detail: unknown;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/charging/subscribers/{id}/credit-limit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Set a subscriber's credit limit to any amount (an arrangement the operator made; audited) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description The new monthly credit limit in fen */
            limitFen: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              limitFen: number;
              previousFen: number | null;
              /** @description The new limit lifted a credit-limit block at once */
              restored: boolean;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/charging/near-limit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This month's subscribers at or above a share of their credit limit (or blocked), the fullest first */
    get: {
      parameters: {
        query: {
          threshold: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              thresholdPercent: number;
              subscribers: {
                subscriberId: string;
                name: string | null;
                numbers: string[];
                limitFen: number;
                feesFen: number;
                percent: number;
                blocked: boolean;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/payments/options': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The providers offered and what each purpose would take now (null: nothing to pay for it) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              providers: string[];
              amounts: {
                balance: number | null;
                monthFees: number | null;
                settlement: number | null;
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/payments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in subscriber's online payments, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              payments: {
                id: string;
                subscriberId: string;
                purpose: 'bill' | 'balance' | 'month-fees' | 'settlement';
                billId: string | null;
                amountFen: number;
                provider: string;
                merchantReference: string;
                status: 'created' | 'pending' | 'succeeded' | 'failed' | 'expired' | 'closed';
                action: {
                  kind: 'qr' | 'redirect';
                  content: string;
                  qrDataUrl: string | null;
                } | null;
                providerReference: string | null;
                paymentId: string | null;
                failureReason: string | null;
                createdAt: string;
                expiresAt: string;
                paidAt: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Start paying online: the server decides the amount for the purpose and answers the QR code or page to pay at */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            purpose: 'bill' | 'balance' | 'month-fees' | 'settlement';
            /** Format: uuid */
            billId?: string;
            provider: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              purpose: 'bill' | 'balance' | 'month-fees' | 'settlement';
              billId: string | null;
              amountFen: number;
              provider: string;
              merchantReference: string;
              status: 'created' | 'pending' | 'succeeded' | 'failed' | 'expired' | 'closed';
              action: {
                kind: 'qr' | 'redirect';
                content: string;
                qrDataUrl: string | null;
              } | null;
              providerReference: string | null;
              paymentId: string | null;
              failureReason: string | null;
              createdAt: string;
              expiresAt: string;
              paidAt: string | null;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/payments/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One online payment: its QR code while open, its receipt once paid */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              purpose: 'bill' | 'balance' | 'month-fees' | 'settlement';
              billId: string | null;
              amountFen: number;
              provider: string;
              merchantReference: string;
              status: 'created' | 'pending' | 'succeeded' | 'failed' | 'expired' | 'closed';
              action: {
                kind: 'qr' | 'redirect';
                content: string;
                qrDataUrl: string | null;
              } | null;
              providerReference: string | null;
              paymentId: string | null;
              failureReason: string | null;
              createdAt: string;
              expiresAt: string;
              paidAt: string | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/payments/mismatches': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Differences reconciliation found between our records and the providers', newest first, with how many are open */
    get: {
      parameters: {
        query?: {
          open?: boolean;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              openCount: number;
              mismatches: {
                id: string;
                intentId: string | null;
                provider: string;
                merchantReference: string;
                kind:
                  | 'missed-notification'
                  | 'amount-differs'
                  | 'status-differs'
                  | 'unknown-at-provider'
                  | 'unknown-intent'
                  | 'refund-not-recorded';
                detail: unknown;
                foundAt: string;
                resolvedAt: string | null;
                subscriberId: string | null;
                resolvedBy: {
                  id: string | null;
                  name: string | null;
                } | null;
                resolution: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/payments/mismatches/{id}/resolve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Close a mismatch, saying what was done about it (audited) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            resolution: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              intentId: string | null;
              provider: string;
              merchantReference: string;
              kind:
                | 'missed-notification'
                | 'amount-differs'
                | 'status-differs'
                | 'unknown-at-provider'
                | 'unknown-intent'
                | 'refund-not-recorded';
              detail: unknown;
              foundAt: string;
              resolvedAt: string | null;
              subscriberId: string | null;
              resolvedBy: {
                id: string | null;
                name: string | null;
              } | null;
              resolution: string | null;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/payments/online': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Online payments newest first, a page at a time, with what has been refunded of each */
    get: {
      parameters: {
        query: {
          status?: 'created' | 'pending' | 'succeeded' | 'failed' | 'expired' | 'closed';
          offset: number;
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              total: number;
              payments: {
                id: string;
                subscriberId: string;
                purpose: 'bill' | 'balance' | 'month-fees' | 'settlement';
                amountFen: number;
                refundedFen: number;
                provider: string;
                merchantReference: string;
                providerReference: string | null;
                status: 'created' | 'pending' | 'succeeded' | 'failed' | 'expired' | 'closed';
                createdAt: string;
                settledAt: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/payments/online/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One online payment */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              purpose: 'bill' | 'balance' | 'month-fees' | 'settlement';
              billId: string | null;
              amountFen: number;
              provider: string;
              merchantReference: string;
              status: 'created' | 'pending' | 'succeeded' | 'failed' | 'expired' | 'closed';
              action: {
                kind: 'qr' | 'redirect';
                content: string;
                qrDataUrl: string | null;
              } | null;
              providerReference: string | null;
              paymentId: string | null;
              failureReason: string | null;
              createdAt: string;
              expiresAt: string;
              paidAt: string | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/payments/online/{id}/refunds': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Refund credit to where it came from: through the provider of this online payment, then off the account */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            amountFen: number;
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              refundId: string;
              refundReference: string;
              providerRefundReference: string | null;
              status: 'succeeded' | 'pending' | 'failed';
              billingRefundId: string | null;
              creditFen: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/payments/notify/{provider}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A payment provider's signed asynchronous notification; applied once, however often it comes */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          provider: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/disputes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My disputes, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              disputes: {
                id: string;
                subscriberId: string;
                subject: 'bill' | 'bill-line' | 'call';
                billId: string | null;
                ledgerEntryId: string | null;
                callRecordId: string | null;
                amountFen: number;
                reason: string;
                channel: 'portal' | 'phone' | 'counter';
                /** Format: date-time */
                openedAt: string;
                /** @description The local date by which the operator answers (clause 6) */
                dueOn: string;
                status: 'open' | 'investigating' | 'answered' | 'closed';
                assignedTo: {
                  id: string;
                  name: string | null;
                } | null;
                outcome: ('upheld' | 'partly-upheld' | 'rejected') | null;
                creditedFen: number | null;
                answer: {
                  code:
                    | 'billed-correctly'
                    | 'network-side'
                    | 'platform-fault-credited'
                    | 'rating-error-corrected'
                    | 'goodwill-credit'
                    | 'other';
                  text: string;
                  /** Format: date-time */
                  at: string;
                } | null;
                response: ('accepted' | 'escalated') | null;
                negotiationCaseId: string | null;
                closedAt: string | null;
                attachment: {
                  name: string;
                  type: string;
                } | null;
                notes: {
                  /** Format: date-time */
                  at: string;
                  authorType: 'staff' | 'subscriber';
                  authorName: string | null;
                  text: string;
                }[];
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Dispute a bill, a bill line or a call (clause 6); its amount accrues no late fee while open */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            subject: 'bill' | 'bill-line' | 'call';
            /** Format: uuid */
            subjectId: string;
            /** @description For a bill: the part disputed */
            amountFen?: number;
            reason: string;
            attachment?: {
              name: string;
              type: 'image/png' | 'image/jpeg' | 'application/pdf';
              contentBase64: string;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              subject: 'bill' | 'bill-line' | 'call';
              billId: string | null;
              ledgerEntryId: string | null;
              callRecordId: string | null;
              amountFen: number;
              reason: string;
              channel: 'portal' | 'phone' | 'counter';
              /** Format: date-time */
              openedAt: string;
              /** @description The local date by which the operator answers (clause 6) */
              dueOn: string;
              status: 'open' | 'investigating' | 'answered' | 'closed';
              assignedTo: {
                id: string;
                name: string | null;
              } | null;
              outcome: ('upheld' | 'partly-upheld' | 'rejected') | null;
              creditedFen: number | null;
              answer: {
                code:
                  'billed-correctly' | 'network-side' | 'platform-fault-credited' | 'rating-error-corrected' | 'goodwill-credit' | 'other';
                text: string;
                /** Format: date-time */
                at: string;
              } | null;
              response: ('accepted' | 'escalated') | null;
              negotiationCaseId: string | null;
              closedAt: string | null;
              attachment: {
                name: string;
                type: string;
              } | null;
              notes: {
                /** Format: date-time */
                at: string;
                authorType: 'staff' | 'subscriber';
                authorName: string | null;
                text: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/disputes/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One of my disputes, with the answer */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              subject: 'bill' | 'bill-line' | 'call';
              billId: string | null;
              ledgerEntryId: string | null;
              callRecordId: string | null;
              amountFen: number;
              reason: string;
              channel: 'portal' | 'phone' | 'counter';
              /** Format: date-time */
              openedAt: string;
              /** @description The local date by which the operator answers (clause 6) */
              dueOn: string;
              status: 'open' | 'investigating' | 'answered' | 'closed';
              assignedTo: {
                id: string;
                name: string | null;
              } | null;
              outcome: ('upheld' | 'partly-upheld' | 'rejected') | null;
              creditedFen: number | null;
              answer: {
                code:
                  'billed-correctly' | 'network-side' | 'platform-fault-credited' | 'rating-error-corrected' | 'goodwill-credit' | 'other';
                text: string;
                /** Format: date-time */
                at: string;
              } | null;
              response: ('accepted' | 'escalated') | null;
              negotiationCaseId: string | null;
              closedAt: string | null;
              attachment: {
                name: string;
                type: string;
              } | null;
              notes: {
                /** Format: date-time */
                at: string;
                authorType: 'staff' | 'subscriber';
                authorName: string | null;
                text: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/disputes/{id}/attachment': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The file I attached */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/disputes/{id}/accept': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Accept the answer: the dispute is closed */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              subject: 'bill' | 'bill-line' | 'call';
              billId: string | null;
              ledgerEntryId: string | null;
              callRecordId: string | null;
              amountFen: number;
              reason: string;
              channel: 'portal' | 'phone' | 'counter';
              /** Format: date-time */
              openedAt: string;
              /** @description The local date by which the operator answers (clause 6) */
              dueOn: string;
              status: 'open' | 'investigating' | 'answered' | 'closed';
              assignedTo: {
                id: string;
                name: string | null;
              } | null;
              outcome: ('upheld' | 'partly-upheld' | 'rejected') | null;
              creditedFen: number | null;
              answer: {
                code:
                  'billed-correctly' | 'network-side' | 'platform-fault-credited' | 'rating-error-corrected' | 'goodwill-credit' | 'other';
                text: string;
                /** Format: date-time */
                at: string;
              } | null;
              response: ('accepted' | 'escalated') | null;
              negotiationCaseId: string | null;
              closedAt: string | null;
              attachment: {
                name: string;
                type: string;
              } | null;
              notes: {
                /** Format: date-time */
                at: string;
                authorType: 'staff' | 'subscriber';
                authorName: string | null;
                text: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/disputes/{id}/escalate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Do not accept the answer: a negotiation case (clause 16) continues the dispute */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              subject: 'bill' | 'bill-line' | 'call';
              billId: string | null;
              ledgerEntryId: string | null;
              callRecordId: string | null;
              amountFen: number;
              reason: string;
              channel: 'portal' | 'phone' | 'counter';
              /** Format: date-time */
              openedAt: string;
              /** @description The local date by which the operator answers (clause 6) */
              dueOn: string;
              status: 'open' | 'investigating' | 'answered' | 'closed';
              assignedTo: {
                id: string;
                name: string | null;
              } | null;
              outcome: ('upheld' | 'partly-upheld' | 'rejected') | null;
              creditedFen: number | null;
              answer: {
                code:
                  'billed-correctly' | 'network-side' | 'platform-fault-credited' | 'rating-error-corrected' | 'goodwill-credit' | 'other';
                text: string;
                /** Format: date-time */
                at: string;
              } | null;
              response: ('accepted' | 'escalated') | null;
              negotiationCaseId: string | null;
              closedAt: string | null;
              attachment: {
                name: string;
                type: string;
              } | null;
              notes: {
                /** Format: date-time */
                at: string;
                authorType: 'staff' | 'subscriber';
                authorName: string | null;
                text: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/disputes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The disputes queue: unanswered first, by due date */
    get: {
      parameters: {
        query?: {
          status?: 'open' | 'investigating' | 'answered' | 'closed';
          mine?: boolean;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              disputes: {
                id: string;
                subscriberId: string;
                subject: 'bill' | 'bill-line' | 'call';
                amountFen: number;
                status: 'open' | 'investigating' | 'answered' | 'closed';
                /** Format: date-time */
                openedAt: string;
                dueOn: string;
                /** @description Not answered by its due date */
                overdue: boolean;
                assignedTo: {
                  id: string;
                  name: string | null;
                } | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Open a dispute on a subscriber's behalf (by phone or at the counter) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            subject: 'bill' | 'bill-line' | 'call';
            /** Format: uuid */
            subjectId: string;
            /** @description For a bill: the part disputed */
            amountFen?: number;
            reason: string;
            attachment?: {
              name: string;
              type: 'image/png' | 'image/jpeg' | 'application/pdf';
              contentBase64: string;
            };
            /** Format: uuid */
            subscriberId: string;
            channel: 'phone' | 'counter';
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              subject: 'bill' | 'bill-line' | 'call';
              billId: string | null;
              ledgerEntryId: string | null;
              callRecordId: string | null;
              amountFen: number;
              reason: string;
              channel: 'portal' | 'phone' | 'counter';
              /** Format: date-time */
              openedAt: string;
              /** @description The local date by which the operator answers (clause 6) */
              dueOn: string;
              status: 'open' | 'investigating' | 'answered' | 'closed';
              assignedTo: {
                id: string;
                name: string | null;
              } | null;
              outcome: ('upheld' | 'partly-upheld' | 'rejected') | null;
              creditedFen: number | null;
              answer: {
                code:
                  'billed-correctly' | 'network-side' | 'platform-fault-credited' | 'rating-error-corrected' | 'goodwill-credit' | 'other';
                text: string;
                /** Format: date-time */
                at: string;
              } | null;
              response: ('accepted' | 'escalated') | null;
              negotiationCaseId: string | null;
              closedAt: string | null;
              attachment: {
                name: string;
                type: string;
              } | null;
              notes: {
                /** Format: date-time */
                at: string;
                authorType: 'staff' | 'subscriber';
                authorName: string | null;
                text: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/disputes/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A dispute with its evidence side by side and a proposed judgement */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              dispute: {
                id: string;
                subscriberId: string;
                subject: 'bill' | 'bill-line' | 'call';
                billId: string | null;
                ledgerEntryId: string | null;
                callRecordId: string | null;
                amountFen: number;
                reason: string;
                channel: 'portal' | 'phone' | 'counter';
                /** Format: date-time */
                openedAt: string;
                /** @description The local date by which the operator answers (clause 6) */
                dueOn: string;
                status: 'open' | 'investigating' | 'answered' | 'closed';
                assignedTo: {
                  id: string;
                  name: string | null;
                } | null;
                outcome: ('upheld' | 'partly-upheld' | 'rejected') | null;
                creditedFen: number | null;
                answer: {
                  code:
                    | 'billed-correctly'
                    | 'network-side'
                    | 'platform-fault-credited'
                    | 'rating-error-corrected'
                    | 'goodwill-credit'
                    | 'other';
                  text: string;
                  /** Format: date-time */
                  at: string;
                } | null;
                response: ('accepted' | 'escalated') | null;
                negotiationCaseId: string | null;
                closedAt: string | null;
                attachment: {
                  name: string;
                  type: string;
                } | null;
                notes: {
                  /** Format: date-time */
                  at: string;
                  authorType: 'staff' | 'subscriber';
                  authorName: string | null;
                  text: string;
                }[];
              };
              evidence: {
                call: unknown | null;
                qualityReports: unknown[];
                rating: unknown | null;
                judgement: {
                  classification: 'platform-side' | 'network-side' | 'normal';
                  findings: unknown[];
                  mos: {
                    reporter: string;
                    side: string;
                    mos: number;
                  }[];
                } | null;
                bill: unknown | null;
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/disputes/{id}/attachment': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The subscriber's attachment */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/disputes/{id}/assign': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Take the dispute: investigating, by me */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              subject: 'bill' | 'bill-line' | 'call';
              billId: string | null;
              ledgerEntryId: string | null;
              callRecordId: string | null;
              amountFen: number;
              reason: string;
              channel: 'portal' | 'phone' | 'counter';
              /** Format: date-time */
              openedAt: string;
              /** @description The local date by which the operator answers (clause 6) */
              dueOn: string;
              status: 'open' | 'investigating' | 'answered' | 'closed';
              assignedTo: {
                id: string;
                name: string | null;
              } | null;
              outcome: ('upheld' | 'partly-upheld' | 'rejected') | null;
              creditedFen: number | null;
              answer: {
                code:
                  'billed-correctly' | 'network-side' | 'platform-fault-credited' | 'rating-error-corrected' | 'goodwill-credit' | 'other';
                text: string;
                /** Format: date-time */
                at: string;
              } | null;
              response: ('accepted' | 'escalated') | null;
              negotiationCaseId: string | null;
              closedAt: string | null;
              attachment: {
                name: string;
                type: string;
              } | null;
              notes: {
                /** Format: date-time */
                at: string;
                authorType: 'staff' | 'subscriber';
                authorName: string | null;
                text: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/disputes/{id}/notes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A note in the investigation (kept, never edited) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            text: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              subject: 'bill' | 'bill-line' | 'call';
              billId: string | null;
              ledgerEntryId: string | null;
              callRecordId: string | null;
              amountFen: number;
              reason: string;
              channel: 'portal' | 'phone' | 'counter';
              /** Format: date-time */
              openedAt: string;
              /** @description The local date by which the operator answers (clause 6) */
              dueOn: string;
              status: 'open' | 'investigating' | 'answered' | 'closed';
              assignedTo: {
                id: string;
                name: string | null;
              } | null;
              outcome: ('upheld' | 'partly-upheld' | 'rejected') | null;
              creditedFen: number | null;
              answer: {
                code:
                  'billed-correctly' | 'network-side' | 'platform-fault-credited' | 'rating-error-corrected' | 'goodwill-credit' | 'other';
                text: string;
                /** Format: date-time */
                at: string;
              } | null;
              response: ('accepted' | 'escalated') | null;
              negotiationCaseId: string | null;
              closedAt: string | null;
              attachment: {
                name: string;
                type: string;
              } | null;
              notes: {
                /** Format: date-time */
                at: string;
                authorType: 'staff' | 'subscriber';
                authorName: string | null;
                text: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/disputes/{id}/answer': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Answer the subscriber: upheld or partly upheld (a credit note on the next bill) or rejected, with reasons */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            outcome: 'upheld' | 'partly-upheld' | 'rejected';
            /** @description For a partly upheld dispute */
            creditFen?: number;
            code: 'billed-correctly' | 'network-side' | 'platform-fault-credited' | 'rating-error-corrected' | 'goodwill-credit' | 'other';
            /** @description The explanation, in the subscriber's language */
            text: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string;
              subject: 'bill' | 'bill-line' | 'call';
              billId: string | null;
              ledgerEntryId: string | null;
              callRecordId: string | null;
              amountFen: number;
              reason: string;
              channel: 'portal' | 'phone' | 'counter';
              /** Format: date-time */
              openedAt: string;
              /** @description The local date by which the operator answers (clause 6) */
              dueOn: string;
              status: 'open' | 'investigating' | 'answered' | 'closed';
              assignedTo: {
                id: string;
                name: string | null;
              } | null;
              outcome: ('upheld' | 'partly-upheld' | 'rejected') | null;
              creditedFen: number | null;
              answer: {
                code:
                  'billed-correctly' | 'network-side' | 'platform-fault-credited' | 'rating-error-corrected' | 'goodwill-credit' | 'other';
                text: string;
                /** Format: date-time */
                at: string;
              } | null;
              response: ('accepted' | 'escalated') | null;
              negotiationCaseId: string | null;
              closedAt: string | null;
              attachment: {
                name: string;
                type: string;
              } | null;
              notes: {
                /** Format: date-time */
                at: string;
                authorType: 'staff' | 'subscriber';
                authorName: string | null;
                text: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/devices/units': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The terminal inventory, newest first */
    get: {
      parameters: {
        query?: {
          state?: 'in_stock' | 'reserved' | 'shipped' | 'delivered' | 'returned' | 'in_repair' | 'scrapped';
          model?: string;
          /** @description Part of a serial number or MAC */
          search?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              units: {
                id: string;
                modelCode: string;
                serialNumber: string;
                /** @description aa:bb:cc:dd:ee:ff */
                mac: string;
                state: 'in_stock' | 'reserved' | 'shipped' | 'delivered' | 'returned' | 'in_repair' | 'scrapped';
                orderId: string | null;
                subscriberId: string | null;
                deliveredAt: string | null;
                deliveredBy: ('carrier' | 'staff' | 'subscriber') | null;
                warrantyEndsOn: string | null;
                replacesUnitId: string | null;
                tamperedOn: string | null;
                /** Format: date-time */
                receivedAt: string;
                /** Format: date-time */
                updatedAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Receive a unit into stock */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            modelCode: string;
            serialNumber: string;
            mac: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              modelCode: string;
              serialNumber: string;
              /** @description aa:bb:cc:dd:ee:ff */
              mac: string;
              state: 'in_stock' | 'reserved' | 'shipped' | 'delivered' | 'returned' | 'in_repair' | 'scrapped';
              orderId: string | null;
              subscriberId: string | null;
              deliveredAt: string | null;
              deliveredBy: ('carrier' | 'staff' | 'subscriber') | null;
              warrantyEndsOn: string | null;
              replacesUnitId: string | null;
              tamperedOn: string | null;
              /** Format: date-time */
              receivedAt: string;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/devices/units/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One unit with its stock history and shipments */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              unit: {
                id: string;
                modelCode: string;
                serialNumber: string;
                /** @description aa:bb:cc:dd:ee:ff */
                mac: string;
                state: 'in_stock' | 'reserved' | 'shipped' | 'delivered' | 'returned' | 'in_repair' | 'scrapped';
                orderId: string | null;
                subscriberId: string | null;
                deliveredAt: string | null;
                deliveredBy: ('carrier' | 'staff' | 'subscriber') | null;
                warrantyEndsOn: string | null;
                replacesUnitId: string | null;
                tamperedOn: string | null;
                /** Format: date-time */
                receivedAt: string;
                /** Format: date-time */
                updatedAt: string;
              };
              history: {
                /** Format: date-time */
                at: string;
                fromState: ('in_stock' | 'reserved' | 'shipped' | 'delivered' | 'returned' | 'in_repair' | 'scrapped') | null;
                toState: 'in_stock' | 'reserved' | 'shipped' | 'delivered' | 'returned' | 'in_repair' | 'scrapped';
                actorType: string;
                actorId: string | null;
                note: string | null;
              }[];
              shipments: {
                id: string;
                unitId: string;
                orderId: string | null;
                subscriberId: string;
                carrier: string;
                tracking: string;
                /** Format: date-time */
                shippedAt: string;
                deliveredAt: string | null;
                deliveredBy: ('carrier' | 'staff' | 'subscriber') | null;
                damageReported: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/devices/units/{id}/reservation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reserve a unit in stock for the subscriber's current order (it must have bought this model) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            subscriberId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              modelCode: string;
              serialNumber: string;
              /** @description aa:bb:cc:dd:ee:ff */
              mac: string;
              state: 'in_stock' | 'reserved' | 'shipped' | 'delivered' | 'returned' | 'in_repair' | 'scrapped';
              orderId: string | null;
              subscriberId: string | null;
              deliveredAt: string | null;
              deliveredBy: ('carrier' | 'staff' | 'subscriber') | null;
              warrantyEndsOn: string | null;
              replacesUnitId: string | null;
              tamperedOn: string | null;
              /** Format: date-time */
              receivedAt: string;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/devices/units/{id}/release': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Put a reserved unit back in stock */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              modelCode: string;
              serialNumber: string;
              /** @description aa:bb:cc:dd:ee:ff */
              mac: string;
              state: 'in_stock' | 'reserved' | 'shipped' | 'delivered' | 'returned' | 'in_repair' | 'scrapped';
              orderId: string | null;
              subscriberId: string | null;
              deliveredAt: string | null;
              deliveredBy: ('carrier' | 'staff' | 'subscriber') | null;
              warrantyEndsOn: string | null;
              replacesUnitId: string | null;
              tamperedOn: string | null;
              /** Format: date-time */
              receivedAt: string;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/devices/units/{id}/shipment': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ship the unit to its subscriber with a carrier and tracking number */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            carrier: string;
            tracking: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              modelCode: string;
              serialNumber: string;
              /** @description aa:bb:cc:dd:ee:ff */
              mac: string;
              state: 'in_stock' | 'reserved' | 'shipped' | 'delivered' | 'returned' | 'in_repair' | 'scrapped';
              orderId: string | null;
              subscriberId: string | null;
              deliveredAt: string | null;
              deliveredBy: ('carrier' | 'staff' | 'subscriber') | null;
              warrantyEndsOn: string | null;
              replacesUnitId: string | null;
              tamperedOn: string | null;
              /** Format: date-time */
              receivedAt: string;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/devices/units/{id}/delivery': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Record the delivery (the carrier's confirmation or staff's): the warranty starts */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            by: 'carrier' | 'staff';
            /** Format: date-time */
            at?: string;
            /** @description Damage seen on delivery: covered (clause 4) */
            damageReported?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              modelCode: string;
              serialNumber: string;
              /** @description aa:bb:cc:dd:ee:ff */
              mac: string;
              state: 'in_stock' | 'reserved' | 'shipped' | 'delivered' | 'returned' | 'in_repair' | 'scrapped';
              orderId: string | null;
              subscriberId: string | null;
              deliveredAt: string | null;
              deliveredBy: ('carrier' | 'staff' | 'subscriber') | null;
              warrantyEndsOn: string | null;
              replacesUnitId: string | null;
              tamperedOn: string | null;
              /** Format: date-time */
              receivedAt: string;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/devices/shipments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Shipments, newest first; only those not delivered yet with open=true */
    get: {
      parameters: {
        query?: {
          open?: boolean;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              shipments: {
                id: string;
                unitId: string;
                orderId: string | null;
                subscriberId: string;
                carrier: string;
                tracking: string;
                /** Format: date-time */
                shippedAt: string;
                deliveredAt: string | null;
                deliveredBy: ('carrier' | 'staff' | 'subscriber') | null;
                damageReported: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/devices/units/{id}/tamper': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Record that the unit was opened without authorisation (clause 4(5)): its warranty ends today */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            note: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              modelCode: string;
              serialNumber: string;
              /** @description aa:bb:cc:dd:ee:ff */
              mac: string;
              state: 'in_stock' | 'reserved' | 'shipped' | 'delivered' | 'returned' | 'in_repair' | 'scrapped';
              orderId: string | null;
              subscriberId: string | null;
              deliveredAt: string | null;
              deliveredBy: ('carrier' | 'staff' | 'subscriber') | null;
              warrantyEndsOn: string | null;
              replacesUnitId: string | null;
              tamperedOn: string | null;
              /** Format: date-time */
              receivedAt: string;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/warranty/claims': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The claims queue: to assess first, then in service, then awaiting the subscriber; or one status */
    get: {
      parameters: {
        query?: {
          status?: 'filed' | 'quoted' | 'in-service' | 'declined' | 'completed';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              claims: {
                id: string;
                unitId: string;
                unitSerial: string;
                unitModel: string;
                subscriberId: string;
                cause: 'fault' | 'shipping-damage';
                description: string;
                /** Format: date-time */
                filedAt: string;
                /** @description A local date of the operator, YYYY-MM-DD */
                filedOn: string;
                coverageWhenFiled: 'covered' | 'not-covered';
                warrantyEndsOn: string | null;
                status: 'filed' | 'quoted' | 'in-service' | 'declined' | 'completed';
                exclusions: (
                  | 'accident'
                  | 'misuse'
                  | 'opened-case'
                  | 'power'
                  | 'ignored-instructions'
                  | 'unauthorised-repair'
                  | 'non-operator-equipment'
                )[];
                tamperFound: boolean;
                covered: boolean | null;
                decision: ('repair' | 'replace') | null;
                assessmentNote: string | null;
                assessedAt: string | null;
                quoteFen: number | null;
                quoteResponse: ('accepted' | 'declined') | null;
                replacementUnitId: string | null;
                completedAt: string | null;
                photos: {
                  id: string;
                  name: string;
                  type: string;
                }[];
                steps: {
                  /** Format: date-time */
                  at: string;
                  step: string;
                  actorType: string;
                  note: string | null;
                }[];
                parts: {
                  direction: 'used' | 'returned-to-stock';
                  part: string;
                  serialNumber: string | null;
                  /** Format: date-time */
                  at: string;
                }[];
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/warranty/claims/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One claim */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              unitId: string;
              unitSerial: string;
              unitModel: string;
              subscriberId: string;
              cause: 'fault' | 'shipping-damage';
              description: string;
              /** Format: date-time */
              filedAt: string;
              /** @description A local date of the operator, YYYY-MM-DD */
              filedOn: string;
              coverageWhenFiled: 'covered' | 'not-covered';
              warrantyEndsOn: string | null;
              status: 'filed' | 'quoted' | 'in-service' | 'declined' | 'completed';
              exclusions: (
                'accident' | 'misuse' | 'opened-case' | 'power' | 'ignored-instructions' | 'unauthorised-repair' | 'non-operator-equipment'
              )[];
              tamperFound: boolean;
              covered: boolean | null;
              decision: ('repair' | 'replace') | null;
              assessmentNote: string | null;
              assessedAt: string | null;
              quoteFen: number | null;
              quoteResponse: ('accepted' | 'declined') | null;
              replacementUnitId: string | null;
              completedAt: string | null;
              photos: {
                id: string;
                name: string;
                type: string;
              }[];
              steps: {
                /** Format: date-time */
                at: string;
                step: string;
                actorType: string;
                note: string | null;
              }[];
              parts: {
                direction: 'used' | 'returned-to-stock';
                part: string;
                serialNumber: string | null;
                /** Format: date-time */
                at: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/warranty/claims/{id}/photos/{photoId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A photo of the subscriber's claim */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          photoId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/warranty/claims/{id}/assessment': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Assess a claim: exclusions of clause 4(1), tamper, repair or replace, and a quote when not covered */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            exclusions: (
              'accident' | 'misuse' | 'opened-case' | 'power' | 'ignored-instructions' | 'unauthorised-repair' | 'non-operator-equipment'
            )[];
            tamperFound: boolean;
            decision: 'repair' | 'replace';
            note?: string;
            quoteFen?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              unitId: string;
              unitSerial: string;
              unitModel: string;
              subscriberId: string;
              cause: 'fault' | 'shipping-damage';
              description: string;
              /** Format: date-time */
              filedAt: string;
              /** @description A local date of the operator, YYYY-MM-DD */
              filedOn: string;
              coverageWhenFiled: 'covered' | 'not-covered';
              warrantyEndsOn: string | null;
              status: 'filed' | 'quoted' | 'in-service' | 'declined' | 'completed';
              exclusions: (
                'accident' | 'misuse' | 'opened-case' | 'power' | 'ignored-instructions' | 'unauthorised-repair' | 'non-operator-equipment'
              )[];
              tamperFound: boolean;
              covered: boolean | null;
              decision: ('repair' | 'replace') | null;
              assessmentNote: string | null;
              assessedAt: string | null;
              quoteFen: number | null;
              quoteResponse: ('accepted' | 'declined') | null;
              replacementUnitId: string | null;
              completedAt: string | null;
              photos: {
                id: string;
                name: string;
                type: string;
              }[];
              steps: {
                /** Format: date-time */
                at: string;
                step: string;
                actorType: string;
                note: string | null;
              }[];
              parts: {
                direction: 'used' | 'returned-to-stock';
                part: string;
                serialNumber: string | null;
                /** Format: date-time */
                at: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/warranty/claims/{id}/repair': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Record a repair: parts fitted, and parts taken out returned to the operator’s stock (clause 4(3)) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            partsUsed: {
              part: string;
              serialNumber?: string;
            }[];
            partsReturned: {
              part: string;
              serialNumber?: string;
            }[];
            note?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              unitId: string;
              unitSerial: string;
              unitModel: string;
              subscriberId: string;
              cause: 'fault' | 'shipping-damage';
              description: string;
              /** Format: date-time */
              filedAt: string;
              /** @description A local date of the operator, YYYY-MM-DD */
              filedOn: string;
              coverageWhenFiled: 'covered' | 'not-covered';
              warrantyEndsOn: string | null;
              status: 'filed' | 'quoted' | 'in-service' | 'declined' | 'completed';
              exclusions: (
                'accident' | 'misuse' | 'opened-case' | 'power' | 'ignored-instructions' | 'unauthorised-repair' | 'non-operator-equipment'
              )[];
              tamperFound: boolean;
              covered: boolean | null;
              decision: ('repair' | 'replace') | null;
              assessmentNote: string | null;
              assessedAt: string | null;
              quoteFen: number | null;
              quoteResponse: ('accepted' | 'declined') | null;
              replacementUnitId: string | null;
              completedAt: string | null;
              photos: {
                id: string;
                name: string;
                type: string;
              }[];
              steps: {
                /** Format: date-time */
                at: string;
                step: string;
                actorType: string;
                note: string | null;
              }[];
              parts: {
                direction: 'used' | 'returned-to-stock';
                part: string;
                serialNumber: string | null;
                /** Format: date-time */
                at: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/warranty/claims/{id}/replacement': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Replace the unit with one in stock: it keeps the original warranty end (clause 4(3)) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            unitId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              unitId: string;
              unitSerial: string;
              unitModel: string;
              subscriberId: string;
              cause: 'fault' | 'shipping-damage';
              description: string;
              /** Format: date-time */
              filedAt: string;
              /** @description A local date of the operator, YYYY-MM-DD */
              filedOn: string;
              coverageWhenFiled: 'covered' | 'not-covered';
              warrantyEndsOn: string | null;
              status: 'filed' | 'quoted' | 'in-service' | 'declined' | 'completed';
              exclusions: (
                'accident' | 'misuse' | 'opened-case' | 'power' | 'ignored-instructions' | 'unauthorised-repair' | 'non-operator-equipment'
              )[];
              tamperFound: boolean;
              covered: boolean | null;
              decision: ('repair' | 'replace') | null;
              assessmentNote: string | null;
              assessedAt: string | null;
              quoteFen: number | null;
              quoteResponse: ('accepted' | 'declined') | null;
              replacementUnitId: string | null;
              completedAt: string | null;
              photos: {
                id: string;
                name: string;
                type: string;
              }[];
              steps: {
                /** Format: date-time */
                at: string;
                step: string;
                actorType: string;
                note: string | null;
              }[];
              parts: {
                direction: 'used' | 'returned-to-stock';
                part: string;
                serialNumber: string | null;
                /** Format: date-time */
                at: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/warranty/claims/{id}/completion': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The repaired unit is back with the subscriber */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              unitId: string;
              unitSerial: string;
              unitModel: string;
              subscriberId: string;
              cause: 'fault' | 'shipping-damage';
              description: string;
              /** Format: date-time */
              filedAt: string;
              /** @description A local date of the operator, YYYY-MM-DD */
              filedOn: string;
              coverageWhenFiled: 'covered' | 'not-covered';
              warrantyEndsOn: string | null;
              status: 'filed' | 'quoted' | 'in-service' | 'declined' | 'completed';
              exclusions: (
                'accident' | 'misuse' | 'opened-case' | 'power' | 'ignored-instructions' | 'unauthorised-repair' | 'non-operator-equipment'
              )[];
              tamperFound: boolean;
              covered: boolean | null;
              decision: ('repair' | 'replace') | null;
              assessmentNote: string | null;
              assessedAt: string | null;
              quoteFen: number | null;
              quoteResponse: ('accepted' | 'declined') | null;
              replacementUnitId: string | null;
              completedAt: string | null;
              photos: {
                id: string;
                name: string;
                type: string;
              }[];
              steps: {
                /** Format: date-time */
                at: string;
                step: string;
                actorType: string;
                note: string | null;
              }[];
              parts: {
                direction: 'used' | 'returned-to-stock';
                part: string;
                serialNumber: string | null;
                /** Format: date-time */
                at: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/warranty/parts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Parts taken out in repairs: the operator’s stock (clause 4(3)) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              parts: ({
                direction: 'used' | 'returned-to-stock';
                part: string;
                serialNumber: string | null;
                /** Format: date-time */
                at: string;
              } & {
                claimId: string;
                unitId: string;
              })[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/terminals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My terminals with their warranty, and my claims */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              terminals: {
                id: string;
                modelCode: string;
                serialNumber: string;
                /** @description aa:bb:cc:dd:ee:ff */
                mac: string;
                state: 'in_stock' | 'reserved' | 'shipped' | 'delivered' | 'returned' | 'in_repair' | 'scrapped';
                orderId: string | null;
                subscriberId: string | null;
                deliveredAt: string | null;
                deliveredBy: ('carrier' | 'staff' | 'subscriber') | null;
                warrantyEndsOn: string | null;
                replacesUnitId: string | null;
                tamperedOn: string | null;
                /** Format: date-time */
                receivedAt: string;
                /** Format: date-time */
                updatedAt: string;
              }[];
              claims: {
                id: string;
                unitId: string;
                unitSerial: string;
                unitModel: string;
                subscriberId: string;
                cause: 'fault' | 'shipping-damage';
                description: string;
                /** Format: date-time */
                filedAt: string;
                /** @description A local date of the operator, YYYY-MM-DD */
                filedOn: string;
                coverageWhenFiled: 'covered' | 'not-covered';
                warrantyEndsOn: string | null;
                status: 'filed' | 'quoted' | 'in-service' | 'declined' | 'completed';
                exclusions: (
                  | 'accident'
                  | 'misuse'
                  | 'opened-case'
                  | 'power'
                  | 'ignored-instructions'
                  | 'unauthorised-repair'
                  | 'non-operator-equipment'
                )[];
                tamperFound: boolean;
                covered: boolean | null;
                decision: ('repair' | 'replace') | null;
                assessmentNote: string | null;
                assessedAt: string | null;
                quoteFen: number | null;
                quoteResponse: ('accepted' | 'declined') | null;
                replacementUnitId: string | null;
                completedAt: string | null;
                photos: {
                  id: string;
                  name: string;
                  type: string;
                }[];
                steps: {
                  /** Format: date-time */
                  at: string;
                  step: string;
                  actorType: string;
                  note: string | null;
                }[];
                parts: {
                  direction: 'used' | 'returned-to-stock';
                  part: string;
                  serialNumber: string | null;
                  /** Format: date-time */
                  at: string;
                }[];
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/terminals/{id}/delivery': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** I received my terminal (with any damage I saw: shipping damage is covered) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            damageReported?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              modelCode: string;
              serialNumber: string;
              /** @description aa:bb:cc:dd:ee:ff */
              mac: string;
              state: 'in_stock' | 'reserved' | 'shipped' | 'delivered' | 'returned' | 'in_repair' | 'scrapped';
              orderId: string | null;
              subscriberId: string | null;
              deliveredAt: string | null;
              deliveredBy: ('carrier' | 'staff' | 'subscriber') | null;
              warrantyEndsOn: string | null;
              replacesUnitId: string | null;
              tamperedOn: string | null;
              /** Format: date-time */
              receivedAt: string;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/terminals/{id}/claims': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** File a written warranty claim with photos; after the warranty it is refused with the day it ended (409 warranty-ended) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            description: string;
            photos?: {
              name: string;
              type: 'image/png' | 'image/jpeg';
              contentBase64: string;
            }[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              unitId: string;
              unitSerial: string;
              unitModel: string;
              subscriberId: string;
              cause: 'fault' | 'shipping-damage';
              description: string;
              /** Format: date-time */
              filedAt: string;
              /** @description A local date of the operator, YYYY-MM-DD */
              filedOn: string;
              coverageWhenFiled: 'covered' | 'not-covered';
              warrantyEndsOn: string | null;
              status: 'filed' | 'quoted' | 'in-service' | 'declined' | 'completed';
              exclusions: (
                'accident' | 'misuse' | 'opened-case' | 'power' | 'ignored-instructions' | 'unauthorised-repair' | 'non-operator-equipment'
              )[];
              tamperFound: boolean;
              covered: boolean | null;
              decision: ('repair' | 'replace') | null;
              assessmentNote: string | null;
              assessedAt: string | null;
              quoteFen: number | null;
              quoteResponse: ('accepted' | 'declined') | null;
              replacementUnitId: string | null;
              completedAt: string | null;
              photos: {
                id: string;
                name: string;
                type: string;
              }[];
              steps: {
                /** Format: date-time */
                at: string;
                step: string;
                actorType: string;
                note: string | null;
              }[];
              parts: {
                direction: 'used' | 'returned-to-stock';
                part: string;
                serialNumber: string | null;
                /** Format: date-time */
                at: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/claims/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One of my claims */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              unitId: string;
              unitSerial: string;
              unitModel: string;
              subscriberId: string;
              cause: 'fault' | 'shipping-damage';
              description: string;
              /** Format: date-time */
              filedAt: string;
              /** @description A local date of the operator, YYYY-MM-DD */
              filedOn: string;
              coverageWhenFiled: 'covered' | 'not-covered';
              warrantyEndsOn: string | null;
              status: 'filed' | 'quoted' | 'in-service' | 'declined' | 'completed';
              exclusions: (
                'accident' | 'misuse' | 'opened-case' | 'power' | 'ignored-instructions' | 'unauthorised-repair' | 'non-operator-equipment'
              )[];
              tamperFound: boolean;
              covered: boolean | null;
              decision: ('repair' | 'replace') | null;
              assessmentNote: string | null;
              assessedAt: string | null;
              quoteFen: number | null;
              quoteResponse: ('accepted' | 'declined') | null;
              replacementUnitId: string | null;
              completedAt: string | null;
              photos: {
                id: string;
                name: string;
                type: string;
              }[];
              steps: {
                /** Format: date-time */
                at: string;
                step: string;
                actorType: string;
                note: string | null;
              }[];
              parts: {
                direction: 'used' | 'returned-to-stock';
                part: string;
                serialNumber: string | null;
                /** Format: date-time */
                at: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/claims/{id}/photos/{photoId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A photo I attached */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          photoId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/claims/{id}/quote': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Accept the quote (charged on my next bill) or decline it */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            accept: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              unitId: string;
              unitSerial: string;
              unitModel: string;
              subscriberId: string;
              cause: 'fault' | 'shipping-damage';
              description: string;
              /** Format: date-time */
              filedAt: string;
              /** @description A local date of the operator, YYYY-MM-DD */
              filedOn: string;
              coverageWhenFiled: 'covered' | 'not-covered';
              warrantyEndsOn: string | null;
              status: 'filed' | 'quoted' | 'in-service' | 'declined' | 'completed';
              exclusions: (
                'accident' | 'misuse' | 'opened-case' | 'power' | 'ignored-instructions' | 'unauthorised-repair' | 'non-operator-equipment'
              )[];
              tamperFound: boolean;
              covered: boolean | null;
              decision: ('repair' | 'replace') | null;
              assessmentNote: string | null;
              assessedAt: string | null;
              quoteFen: number | null;
              quoteResponse: ('accepted' | 'declined') | null;
              replacementUnitId: string | null;
              completedAt: string | null;
              photos: {
                id: string;
                name: string;
                type: string;
              }[];
              steps: {
                /** Format: date-time */
                at: string;
                step: string;
                actorType: string;
                note: string | null;
              }[];
              parts: {
                direction: 'used' | 'returned-to-stock';
                part: string;
                serialNumber: string | null;
                /** Format: date-time */
                at: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/contacts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in subscriber's contacts, favourites first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              contacts: {
                id: string;
                name: string;
                number: string;
                favourite: boolean;
                /** Format: date-time */
                createdAt: string;
                /** Format: date-time */
                updatedAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Adds a contact; a number already in the contacts is a 409 */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            number: string;
            favourite?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              name: string;
              number: string;
              favourite: boolean;
              /** Format: date-time */
              createdAt: string;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/contacts/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Removes a contact */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    /** Changes a contact's name, number or favourite mark */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name?: string;
            number?: string;
            favourite?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              name: string;
              number: string;
              favourite: boolean;
              /** Format: date-time */
              createdAt: string;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    trace?: never;
  };
  '/api/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The status page: ongoing outages, announced maintenance to come, and outages resolved in the last 7 days */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              checkedAt: string;
              outages: {
                reference: string;
                state: 'ongoing' | 'scheduled' | 'resolved';
                /** Format: date-time */
                startsAt: string;
                endsAt: string | null;
                /** @description platform and third-party earn credits (clause 13); force-majeure, government-action (clause 14) and announced-maintenance (clause 7) do not */
                cause: 'platform' | 'third-party' | 'force-majeure' | 'government-action' | 'announced-maintenance';
                scope: 'everyone' | 'numbers' | 'subscribers';
                /** @description For a numbers scope, the prefixes and ranges */
                ranges: string[];
                descriptionZh: string;
                descriptionEn: string;
                /** Format: date-time */
                updatedAt: string;
              }[];
              /** @description Maintenance windows to come and in progress (clause 7) */
              maintenance: {
                reference: string;
                state: 'scheduled' | 'in-progress';
                /** Format: date-time */
                startsAt: string;
                /** Format: date-time */
                endsAt: string;
                effect: 'interruption' | 'degraded' | 'number-change';
                scope: 'all' | 'numbers';
                titleZh: string;
                titleEn: string;
                descriptionZh: string;
                descriptionEn: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/maintenance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Maintenance windows reaching this subscriber, upcoming and in progress, in the reader’s language */
    get: {
      parameters: {
        query: {
          lang: 'zh-CN' | 'en';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              windows: {
                /** Format: uuid */
                id: string;
                /** Format: date-time */
                startsAt: string;
                /** Format: date-time */
                endsAt: string;
                effect: 'interruption' | 'degraded' | 'number-change';
                title: string;
                description: string;
                oldNumber: string | null;
                newNumber: string | null;
                inProgress: boolean;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/maintenance-windows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Maintenance windows, latest start first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              windows: {
                /** Format: uuid */
                id: string;
                /** @description MW-<n> */
                reference: string;
                /** Format: date-time */
                startsAt: string;
                /** Format: date-time */
                endsAt: string;
                effect: 'interruption' | 'degraded' | 'number-change';
                scope:
                  | {
                      /** @enum {string} */
                      kind: 'all';
                    }
                  | {
                      /** @enum {string} */
                      kind: 'numbers';
                      numbers: string[];
                    };
                titleZh: string;
                titleEn: string;
                descriptionZh: string;
                descriptionEn: string;
                /** Format: date-time */
                publishedAt: string;
                publishedBy: string;
                lateReason: string | null;
                /** @description Published at least the notice lead time ahead (clause 7); a late window is credited as an outage */
                onTime: boolean;
                outageId: string | null;
                cancelledAt: string | null;
                cancelledBy: string | null;
                cancelReason: string | null;
                /** @description How many subscribers it reaches */
                subscribers: number;
              }[];
              noticeLeadHours: number;
              /**
               * Format: date-time
               * @description The server's time, against which the lead time is judged
               */
              now: string;
            };
          };
        };
      };
    };
    put?: never;
    /** Publish a maintenance window and notify the subscribers it reaches (clause 7; audited). Less than the notice lead time ahead needs lateReason */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: date-time */
            startsAt: string;
            /** Format: date-time */
            endsAt: string;
            effect: 'interruption' | 'degraded' | 'number-change';
            scope:
              | {
                  /** @enum {string} */
                  kind: 'all';
                }
              | {
                  /** @enum {string} */
                  kind: 'numbers';
                  numbers: string[];
                };
            /** @description For a number change: one per number in scope */
            numberChanges?: {
              oldNumber: string;
              newNumber: string;
            }[];
            titleZh: string;
            titleEn: string;
            descriptionZh: string;
            descriptionEn: string;
            lateReason?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              /** @description MW-<n> */
              reference: string;
              /** Format: date-time */
              startsAt: string;
              /** Format: date-time */
              endsAt: string;
              effect: 'interruption' | 'degraded' | 'number-change';
              scope:
                | {
                    /** @enum {string} */
                    kind: 'all';
                  }
                | {
                    /** @enum {string} */
                    kind: 'numbers';
                    numbers: string[];
                  };
              titleZh: string;
              titleEn: string;
              descriptionZh: string;
              descriptionEn: string;
              /** Format: date-time */
              publishedAt: string;
              publishedBy: string;
              lateReason: string | null;
              /** @description Published at least the notice lead time ahead (clause 7); a late window is credited as an outage */
              onTime: boolean;
              outageId: string | null;
              cancelledAt: string | null;
              cancelledBy: string | null;
              cancelReason: string | null;
              /** @description How many subscribers it reaches */
              subscribers: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/maintenance-windows/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A maintenance window with the subscribers it reaches */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              window: {
                /** Format: uuid */
                id: string;
                /** @description MW-<n> */
                reference: string;
                /** Format: date-time */
                startsAt: string;
                /** Format: date-time */
                endsAt: string;
                effect: 'interruption' | 'degraded' | 'number-change';
                scope:
                  | {
                      /** @enum {string} */
                      kind: 'all';
                    }
                  | {
                      /** @enum {string} */
                      kind: 'numbers';
                      numbers: string[];
                    };
                titleZh: string;
                titleEn: string;
                descriptionZh: string;
                descriptionEn: string;
                /** Format: date-time */
                publishedAt: string;
                publishedBy: string;
                lateReason: string | null;
                /** @description Published at least the notice lead time ahead (clause 7); a late window is credited as an outage */
                onTime: boolean;
                outageId: string | null;
                cancelledAt: string | null;
                cancelledBy: string | null;
                cancelReason: string | null;
                /** @description How many subscribers it reaches */
                subscribers: number;
              };
              affected: {
                /** Format: uuid */
                subscriberId: string;
                number: string | null;
                newNumber: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/maintenance-windows/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel a maintenance window that has not begun, and tell those it reached (audited) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              /** @description MW-<n> */
              reference: string;
              /** Format: date-time */
              startsAt: string;
              /** Format: date-time */
              endsAt: string;
              effect: 'interruption' | 'degraded' | 'number-change';
              scope:
                | {
                    /** @enum {string} */
                    kind: 'all';
                  }
                | {
                    /** @enum {string} */
                    kind: 'numbers';
                    numbers: string[];
                  };
              titleZh: string;
              titleEn: string;
              descriptionZh: string;
              descriptionEn: string;
              /** Format: date-time */
              publishedAt: string;
              publishedBy: string;
              lateReason: string | null;
              /** @description Published at least the notice lead time ahead (clause 7); a late window is credited as an outage */
              onTime: boolean;
              outageId: string | null;
              cancelledAt: string | null;
              cancelledBy: string | null;
              cancelReason: string | null;
              /** @description How many subscribers it reaches */
              subscribers: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/outages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Outages that reach this subscriber's numbers (ongoing, to come, recently resolved) and the outage credits they earned */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              outages: {
                reference: string;
                state: 'ongoing' | 'scheduled' | 'resolved';
                /** Format: date-time */
                startsAt: string;
                endsAt: string | null;
                /** @description platform and third-party earn credits (clause 13); force-majeure, government-action (clause 14) and announced-maintenance (clause 7) do not */
                cause: 'platform' | 'third-party' | 'force-majeure' | 'government-action' | 'announced-maintenance';
                scope: 'everyone' | 'numbers' | 'subscribers';
                /** @description For a numbers scope, the prefixes and ranges */
                ranges: string[];
                descriptionZh: string;
                descriptionEn: string;
                /** Format: date-time */
                updatedAt: string;
              }[];
              credits: {
                /** Format: uuid */
                outageId: string;
                reference: string;
                version: number;
                /** Format: uuid */
                subscriberId: string;
                seq: number;
                /** @description Positive: a credit note; negative: an adjustment charge after a correction shrank the outage */
                amountFen: number;
                /** @description What the outage owes the subscriber in total after this document */
                entitledFen: number;
                affectedMinutes: number;
                /** @description The bill line text: the outage named and clause 13 cap stated */
                reason: string;
                posted: boolean;
                /** Format: date-time */
                createdAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/outages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The outage register, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              outages: {
                /** Format: uuid */
                id: string;
                /** @description OUT-<n>, as bill lines name it */
                reference: string;
                version: number;
                /** Format: date-time */
                startsAt: string;
                endsAt: string | null;
                /** @description platform and third-party earn credits (clause 13); force-majeure, government-action (clause 14) and announced-maintenance (clause 7) do not */
                cause: 'platform' | 'third-party' | 'force-majeure' | 'government-action' | 'announced-maintenance';
                scope:
                  | {
                      /** @enum {string} */
                      kind: 'everyone';
                    }
                  | {
                      /** @enum {string} */
                      kind: 'numbers';
                      ranges: string[];
                    }
                  | {
                      /** @enum {string} */
                      kind: 'subscribers';
                      subscriberIds: string[];
                    };
                descriptionZh: string;
                descriptionEn: string;
                /** Format: date-time */
                recordedAt: string;
                /** Format: date-time */
                changedAt: string;
                creditedAt: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Record an outage, or announce a maintenance window at least the notice lead time ahead (clause 7); audited */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: date-time */
            startsAt: string;
            endsAt: string | null;
            /** @description platform and third-party earn credits (clause 13); force-majeure, government-action (clause 14) and announced-maintenance (clause 7) do not */
            cause: 'platform' | 'third-party' | 'force-majeure' | 'government-action' | 'announced-maintenance';
            scope:
              | {
                  /** @enum {string} */
                  kind: 'everyone';
                }
              | {
                  /** @enum {string} */
                  kind: 'numbers';
                  ranges: string[];
                }
              | {
                  /** @enum {string} */
                  kind: 'subscribers';
                  subscriberIds: string[];
                };
            descriptionZh: string;
            descriptionEn: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              /** @description OUT-<n>, as bill lines name it */
              reference: string;
              version: number;
              /** Format: date-time */
              startsAt: string;
              endsAt: string | null;
              /** @description platform and third-party earn credits (clause 13); force-majeure, government-action (clause 14) and announced-maintenance (clause 7) do not */
              cause: 'platform' | 'third-party' | 'force-majeure' | 'government-action' | 'announced-maintenance';
              scope:
                | {
                    /** @enum {string} */
                    kind: 'everyone';
                  }
                | {
                    /** @enum {string} */
                    kind: 'numbers';
                    ranges: string[];
                  }
                | {
                    /** @enum {string} */
                    kind: 'subscribers';
                    subscriberIds: string[];
                  };
              descriptionZh: string;
              descriptionEn: string;
              /** Format: date-time */
              recordedAt: string;
              /** Format: date-time */
              changedAt: string;
              creditedAt: string | null;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/outages/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An outage with every version recorded and the credit documents each affected subscriber received */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              outage: {
                /** Format: uuid */
                id: string;
                /** @description OUT-<n>, as bill lines name it */
                reference: string;
                version: number;
                /** Format: date-time */
                startsAt: string;
                endsAt: string | null;
                /** @description platform and third-party earn credits (clause 13); force-majeure, government-action (clause 14) and announced-maintenance (clause 7) do not */
                cause: 'platform' | 'third-party' | 'force-majeure' | 'government-action' | 'announced-maintenance';
                scope:
                  | {
                      /** @enum {string} */
                      kind: 'everyone';
                    }
                  | {
                      /** @enum {string} */
                      kind: 'numbers';
                      ranges: string[];
                    }
                  | {
                      /** @enum {string} */
                      kind: 'subscribers';
                      subscriberIds: string[];
                    };
                descriptionZh: string;
                descriptionEn: string;
                /** Format: date-time */
                recordedAt: string;
                /** Format: date-time */
                changedAt: string;
                creditedAt: string | null;
              };
              versions: {
                version: number;
                /** Format: date-time */
                startsAt: string;
                endsAt: string | null;
                /** @description platform and third-party earn credits (clause 13); force-majeure, government-action (clause 14) and announced-maintenance (clause 7) do not */
                cause: 'platform' | 'third-party' | 'force-majeure' | 'government-action' | 'announced-maintenance';
                scope:
                  | {
                      /** @enum {string} */
                      kind: 'everyone';
                    }
                  | {
                      /** @enum {string} */
                      kind: 'numbers';
                      ranges: string[];
                    }
                  | {
                      /** @enum {string} */
                      kind: 'subscribers';
                      subscriberIds: string[];
                    };
                descriptionZh: string;
                descriptionEn: string;
                note: string | null;
                /** Format: date-time */
                recordedAt: string;
                recordedBy: string;
              }[];
              credits: {
                /** Format: uuid */
                outageId: string;
                reference: string;
                version: number;
                /** Format: uuid */
                subscriberId: string;
                seq: number;
                /** @description Positive: a credit note; negative: an adjustment charge after a correction shrank the outage */
                amountFen: number;
                /** @description What the outage owes the subscriber in total after this document */
                entitledFen: number;
                affectedMinutes: number;
                /** @description The bill line text: the outage named and clause 13 cap stated */
                reason: string;
                posted: boolean;
                /** Format: date-time */
                createdAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/outages/{id}/end': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End an ongoing outage (a new version; audited). Credits follow from the job once it has ended */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: date-time */
            endsAt: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              /** @description OUT-<n>, as bill lines name it */
              reference: string;
              version: number;
              /** Format: date-time */
              startsAt: string;
              endsAt: string | null;
              /** @description platform and third-party earn credits (clause 13); force-majeure, government-action (clause 14) and announced-maintenance (clause 7) do not */
              cause: 'platform' | 'third-party' | 'force-majeure' | 'government-action' | 'announced-maintenance';
              scope:
                | {
                    /** @enum {string} */
                    kind: 'everyone';
                  }
                | {
                    /** @enum {string} */
                    kind: 'numbers';
                    ranges: string[];
                  }
                | {
                    /** @enum {string} */
                    kind: 'subscribers';
                    subscriberIds: string[];
                  };
              descriptionZh: string;
              descriptionEn: string;
              /** Format: date-time */
              recordedAt: string;
              /** Format: date-time */
              changedAt: string;
              creditedAt: string | null;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/outages/{id}/corrections': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Correct an outage: its facts as a new version with the reason (audited). Credits already posted stay; the job posts the difference */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: date-time */
            startsAt: string;
            endsAt: string | null;
            /** @description platform and third-party earn credits (clause 13); force-majeure, government-action (clause 14) and announced-maintenance (clause 7) do not */
            cause: 'platform' | 'third-party' | 'force-majeure' | 'government-action' | 'announced-maintenance';
            scope:
              | {
                  /** @enum {string} */
                  kind: 'everyone';
                }
              | {
                  /** @enum {string} */
                  kind: 'numbers';
                  ranges: string[];
                }
              | {
                  /** @enum {string} */
                  kind: 'subscribers';
                  subscriberIds: string[];
                };
            descriptionZh: string;
            descriptionEn: string;
            /** @description Why the facts changed */
            note: string;
            /** @description Refused with 409 if the outage is no longer at this version */
            expectedVersion?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              /** @description OUT-<n>, as bill lines name it */
              reference: string;
              version: number;
              /** Format: date-time */
              startsAt: string;
              endsAt: string | null;
              /** @description platform and third-party earn credits (clause 13); force-majeure, government-action (clause 14) and announced-maintenance (clause 7) do not */
              cause: 'platform' | 'third-party' | 'force-majeure' | 'government-action' | 'announced-maintenance';
              scope:
                | {
                    /** @enum {string} */
                    kind: 'everyone';
                  }
                | {
                    /** @enum {string} */
                    kind: 'numbers';
                    ranges: string[];
                  }
                | {
                    /** @enum {string} */
                    kind: 'subscribers';
                    subscriberIds: string[];
                  };
              descriptionZh: string;
              descriptionEn: string;
              /** Format: date-time */
              recordedAt: string;
              /** Format: date-time */
              changedAt: string;
              creditedAt: string | null;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/releases': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Releases on every channel, newest first, and the minimum version of each client kind */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              releases: {
                /** Format: uuid */
                id: string;
                /** @description The client kind, as read from User-Agent (web softphone, our terminal firmware, Linphone, baresip) */
                kind: 'web' | 'terminal' | 'linphone' | 'baresip';
                version: string;
                artifactUrl: string | null;
                rolloutPercent: number;
                state: 'rolling' | 'paused' | 'rolled-back';
                notes: string;
                /** Format: date-time */
                createdAt: string;
                createdBy: string;
                /** Format: date-time */
                changedAt: string;
              }[];
              minimums: {
                /** @description The client kind, as read from User-Agent (web softphone, our terminal firmware, Linphone, baresip) */
                kind: 'web' | 'terminal' | 'linphone' | 'baresip';
                version: string;
                /** Format: date-time */
                changedAt: string;
                changedBy: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Publish a version on a kind's channel, to a percentage of units (0 to stage it); audited */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description The client kind, as read from User-Agent (web softphone, our terminal firmware, Linphone, baresip) */
            kind: 'web' | 'terminal' | 'linphone' | 'baresip';
            /** @description Dotted numbers, e.g. 1.4.2 */
            version: string;
            artifactUrl: string | null;
            rolloutPercent: number;
            notes: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              /** @description The client kind, as read from User-Agent (web softphone, our terminal firmware, Linphone, baresip) */
              kind: 'web' | 'terminal' | 'linphone' | 'baresip';
              version: string;
              artifactUrl: string | null;
              rolloutPercent: number;
              state: 'rolling' | 'paused' | 'rolled-back';
              notes: string;
              /** Format: date-time */
              createdAt: string;
              createdBy: string;
              /** Format: date-time */
              changedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/releases/{id}/change': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Stage a rollout: set its percentage, pause it (no new units), resume, or roll it back (units return to the version before); audited */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json':
            | {
                /** @enum {string} */
                action: 'set-rollout';
                rolloutPercent: number;
              }
            | {
                action: 'pause' | 'resume' | 'roll-back';
              };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              /** @description The client kind, as read from User-Agent (web softphone, our terminal firmware, Linphone, baresip) */
              kind: 'web' | 'terminal' | 'linphone' | 'baresip';
              version: string;
              artifactUrl: string | null;
              rolloutPercent: number;
              state: 'rolling' | 'paused' | 'rolled-back';
              notes: string;
              /** Format: date-time */
              createdAt: string;
              createdBy: string;
              /** Format: date-time */
              changedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/releases/minimum-versions/{kind}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Set (or with null, lift) the lowest version of a client kind that may register; older clients are told to upgrade; audited */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description The client kind, as read from User-Agent (web softphone, our terminal firmware, Linphone, baresip) */
          kind: 'web' | 'terminal' | 'linphone' | 'baresip';
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            version: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              minimum: {
                /** @description The client kind, as read from User-Agent (web softphone, our terminal firmware, Linphone, baresip) */
                kind: 'web' | 'terminal' | 'linphone' | 'baresip';
                version: string;
                /** Format: date-time */
                changedAt: string;
                changedBy: string;
              } | null;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/device-versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What version every device runs, from its last REGISTER or provisioning fetch (User-Agent), latest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              devices: {
                /** @description The device id, the number (its own credentials), or unit:<id> before it registered */
                deviceKey: string;
                number: string | null;
                unitId: string | null;
                kind: ('web' | 'terminal' | 'linphone' | 'baresip') | null;
                version: string | null;
                userAgent: string | null;
                source: 'registration' | 'provisioning';
                /** Format: date-time */
                seenAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/provisioning/{mac}/{secret}/linphone.xml': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A unit's configuration as Linphone remote provisioning XML (lpconfig), for linphonerc [misc] config-uri */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          mac: string;
          secret: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/provisioning/{mac}/{secret}/config.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A unit's configuration in the neutral JSON format (docs/provisioning.md) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          mac: string;
          secret: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/provisioning/terminals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Provisioned units, live and ended, newest first */
    get: {
      parameters: {
        query?: {
          live?: boolean;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              terminals: {
                /** Format: uuid */
                id: string;
                unitId: string;
                mac: string;
                serial: string | null;
                number: string;
                /** Format: uuid */
                deviceId: string;
                sipUsername: string;
                /** Format: date-time */
                secretIssuedAt: string;
                /** Format: date-time */
                assignedAt: string;
                unassignedAt: string | null;
                lastFetchAt: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Provision a unit: its own SIP device credentials for the subscriber's number and a fetch secret (shown once); audited */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /**
             * Format: uuid
             * @description The unit in the inventory; its MAC and serial come from there
             */
            unitId: string;
            /** @description Default: the buying subscriber's number, when they have one */
            number?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              terminal: {
                /** Format: uuid */
                id: string;
                unitId: string;
                mac: string;
                serial: string | null;
                number: string;
                /** Format: uuid */
                deviceId: string;
                sipUsername: string;
                /** Format: date-time */
                secretIssuedAt: string;
                /** Format: date-time */
                assignedAt: string;
                unassignedAt: string | null;
                lastFetchAt: string | null;
              };
              /** @description Shown this once; load it into the unit. Only its hash is kept */
              secret: string;
              paths: {
                linphoneXml: string;
                json: string;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/provisioning/terminals/{unitId}/secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A new fetch secret for a unit (the old one stops working); shown once; audited */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          unitId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              terminal: {
                /** Format: uuid */
                id: string;
                unitId: string;
                mac: string;
                serial: string | null;
                number: string;
                /** Format: uuid */
                deviceId: string;
                sipUsername: string;
                /** Format: date-time */
                secretIssuedAt: string;
                /** Format: date-time */
                assignedAt: string;
                unassignedAt: string | null;
                lastFetchAt: string | null;
              };
              /** @description Shown this once; load it into the unit. Only its hash is kept */
              secret: string;
              paths: {
                linphoneXml: string;
                json: string;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/provisioning/terminals/{unitId}/unassign': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End a unit's provisioning (returned, scrapped): its SIP device credentials are revoked; audited */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          unitId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              unitId: string;
              mac: string;
              serial: string | null;
              number: string;
              /** Format: uuid */
              deviceId: string;
              sipUsername: string;
              /** Format: date-time */
              secretIssuedAt: string;
              /** Format: date-time */
              assignedAt: string;
              unassignedAt: string | null;
              lastFetchAt: string | null;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/provisioning/terminals/{unitId}/replace': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Swap a unit (clause 4 replacement): the old one loses its SIP credentials, the new one gets new ones for the same number; audited */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          unitId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            newUnitId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              terminal: {
                /** Format: uuid */
                id: string;
                unitId: string;
                mac: string;
                serial: string | null;
                number: string;
                /** Format: uuid */
                deviceId: string;
                sipUsername: string;
                /** Format: date-time */
                secretIssuedAt: string;
                /** Format: date-time */
                assignedAt: string;
                unassignedAt: string | null;
                lastFetchAt: string | null;
              };
              /** @description Shown this once; load it into the unit. Only its hash is kept */
              secret: string;
              paths: {
                linphoneXml: string;
                json: string;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/provisioning/fetches': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The audit of configuration fetches (served, denied, rate-limited), newest first */
    get: {
      parameters: {
        query?: {
          mac?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              fetches: {
                /** Format: date-time */
                at: string;
                mac: string;
                unitId: string | null;
                sourceIp: string;
                userAgent: string | null;
                format: 'linphone-xml' | 'json';
                outcome: 'served' | 'denied' | 'rate-limited';
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/notices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My notices, newest first, with how many I have not read */
    get: {
      parameters: {
        query?: {
          lang?: 'zh-CN' | 'en';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              unreadCount: number;
              notices: {
                id: string;
                /** @description terms-change, dunning-warning, suspension, restoration, bill-issued, credit-alert, dispute-answer, maintenance, service */
                kind: string;
                urgency: 'normal' | 'urgent';
                title: string;
                link: string | null;
                /** Format: date-time */
                createdAt: string;
                readAt: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/notices/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One of my notices, its full text in my language (reading it does not mark it read: POST …/read does) */
    get: {
      parameters: {
        query?: {
          lang?: 'zh-CN' | 'en';
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              /** @description terms-change, dunning-warning, suspension, restoration, bill-issued, credit-alert, dispute-answer, maintenance, service */
              kind: string;
              urgency: 'normal' | 'urgent';
              title: string;
              link: string | null;
              /** Format: date-time */
              createdAt: string;
              readAt: string | null;
              body: string;
              language: 'zh-CN' | 'en';
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/portal/notices/{id}/read': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Read receipt: the first one counts, a second changes nothing */
    post: {
      parameters: {
        query?: {
          lang?: 'zh-CN' | 'en';
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              /** @description terms-change, dunning-warning, suspension, restoration, bill-issued, credit-alert, dispute-answer, maintenance, service */
              kind: string;
              urgency: 'normal' | 'urgent';
              title: string;
              link: string | null;
              /** Format: date-time */
              createdAt: string;
              readAt: string | null;
              body: string;
              language: 'zh-CN' | 'en';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/notice-deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Notice deliveries by status (default: failed and dead), most recently changed first */
    get: {
      parameters: {
        query?: {
          status?: 'pending' | 'sent' | 'failed' | 'dead' | 'skipped';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              deliveries: {
                id: string;
                noticeId: string;
                subscriberId: string;
                /** @description terms-change, dunning-warning, suspension, restoration, bill-issued, credit-alert, dispute-answer, maintenance, service */
                kind: string;
                title: {
                  en: string;
                  'zh-CN': string;
                };
                channel: 'email' | 'sip' | 'sms';
                status: 'pending' | 'sent' | 'failed' | 'dead' | 'skipped';
                attempts: number;
                nextAttemptAt: string | null;
                lastError: string | null;
                sentAt: string | null;
                recipient: string | null;
                /** Format: date-time */
                updatedAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/notice-deliveries/{id}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Try a failed or dead delivery again on the next pass of notices.deliver (audited) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              noticeId: string;
              subscriberId: string;
              /** @description terms-change, dunning-warning, suspension, restoration, bill-issued, credit-alert, dispute-answer, maintenance, service */
              kind: string;
              title: {
                en: string;
                'zh-CN': string;
              };
              channel: 'email' | 'sip' | 'sms';
              status: 'pending' | 'sent' | 'failed' | 'dead' | 'skipped';
              attempts: number;
              nextAttemptAt: string | null;
              lastError: string | null;
              sentAt: string | null;
              recipient: string | null;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/search': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Find subscribers by name, number, contact phone, last four of the ID number, account or bill */
    get: {
      parameters: {
        query: {
          q: string;
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              classifiedAs: 'id' | 'digits' | 'name' | 'none';
              results: {
                kind: 'subscriber' | 'bill';
                subscriberId: string;
                billId: string | null;
                billPeriod: string | null;
                maskedName: string | null;
                number: string | null;
                status: 'applied' | 'documents_requested' | 'approved' | 'rejected' | 'active' | 'suspended' | 'terminated';
                subscriberKind: 'individual' | 'organisation';
                matchedBy: 'name' | 'number' | 'contact-phone' | 'id-last-four' | 'account' | 'bill';
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/customers/by-number/{number}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The customer a videophone number is assigned to */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          number: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/customers/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The customer page's header: name masked, numbers, status and every open suspension with its cause */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              kind: string;
              status: string;
              /** Format: date-time */
              createdAt: string;
              maskedName: string | null;
              numbers: string[];
              suspensions: {
                id: string;
                cause: string;
                blocks: string;
                reason: string;
                reference: string | null;
                /** Format: date-time */
                startedAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/customers/{id}/service': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The order and plan version, the devices holding SIP credentials, agreements signed and terms changes awaiting an answer */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              order: {
                status: string;
                planCode: string;
                planNameZh: string;
                planNameEn: string;
                /** Format: date-time */
                planVersionFrom: string;
                monthlyRentFen: number;
                creditLimitFen: number;
                terminalCode: string | null;
                /** Format: date-time */
                orderedAt: string;
              } | null;
              devices: {
                deviceId: string;
                number: string;
                name: string;
                /** Format: date-time */
                createdAt: string;
                /** Format: date-time */
                rotatedAt: string;
              }[];
              agreements: {
                id: string;
                version: number;
                language: string;
                /** Format: date-time */
                signedAt: string;
              }[];
              pendingTermsChanges: {
                version: number;
                summary: string;
                /** Format: date-time */
                notifiedAt: string;
                lastDayToObject: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/customers/{id}/disputes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The customer's fee disputes (clause 6), newest first, each with its negotiation case when escalated */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              disputes: {
                id: string;
                subject: string;
                amountFen: number;
                status: string;
                /** Format: date-time */
                openedAt: string;
                dueOn: string;
                outcome: string | null;
                negotiationCaseId: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/customers/{id}/terminals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The customer's terminals with their warranty, and their warranty claims (clause 4) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              units: {
                id: string;
                modelCode: string;
                serialNumber: string;
                mac: string;
                state: string;
                deliveredAt: string | null;
                warrantyEndsOn: string | null;
              }[];
              claims: {
                id: string;
                unitSerial: string;
                cause: string;
                status: string;
                /** Format: date-time */
                filedAt: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The queues the member may work, each with its open items and how many are theirs */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              queues: {
                name: string;
                open: number;
                mine: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/verification': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One page of the verification queue, filtered by stage and assignee */
    get: {
      parameters: {
        query: {
          stage?: 'applied' | 'documents_requested';
          /** @description anyone (default), me, unassigned, or a colleague’s id */
          assignee?: 'anyone' | 'me' | 'unassigned' | string;
          offset: number;
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              queue: string;
              stages: string[];
              total: number;
              offset: number;
              limit: number;
              items: {
                id: string;
                subscriberId: string | null;
                stage: string;
                since: string;
                amountFen: number | null;
                assignee: {
                  id: string;
                  name: string;
                } | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/verification/assignees': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Colleagues who may work the verification queue */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              assignees: {
                id: string;
                name: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/verification/{id}/assignee': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Assign an item of the verification queue to a colleague (or to no one) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            assigneeId: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string | null;
              stage: string;
              since: string;
              amountFen: number | null;
              assignee: {
                id: string;
                name: string;
              } | null;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/overdue': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One page of the overdue queue, filtered by stage and assignee */
    get: {
      parameters: {
        query: {
          stage?: 'warned' | 'suspended' | 'terminated';
          /** @description anyone (default), me, unassigned, or a colleague’s id */
          assignee?: 'anyone' | 'me' | 'unassigned' | string;
          offset: number;
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              queue: string;
              stages: string[];
              total: number;
              offset: number;
              limit: number;
              items: {
                id: string;
                subscriberId: string | null;
                stage: string;
                since: string;
                amountFen: number | null;
                assignee: {
                  id: string;
                  name: string;
                } | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/overdue/assignees': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Colleagues who may work the overdue queue */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              assignees: {
                id: string;
                name: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/overdue/{id}/assignee': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Assign an item of the overdue queue to a colleague (or to no one) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            assigneeId: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string | null;
              stage: string;
              since: string;
              amountFen: number | null;
              assignee: {
                id: string;
                name: string;
              } | null;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/disputes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One page of the disputes queue, filtered by stage and assignee */
    get: {
      parameters: {
        query: {
          stage?: 'open' | 'investigating' | 'answered';
          /** @description anyone (default), me, unassigned, or a colleague’s id */
          assignee?: 'anyone' | 'me' | 'unassigned' | string;
          offset: number;
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              queue: string;
              stages: string[];
              total: number;
              offset: number;
              limit: number;
              items: {
                id: string;
                subscriberId: string | null;
                stage: string;
                since: string;
                amountFen: number | null;
                assignee: {
                  id: string;
                  name: string;
                } | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/disputes/assignees': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Colleagues who may work the disputes queue */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              assignees: {
                id: string;
                name: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/disputes/{id}/assignee': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Assign an item of the disputes queue to a colleague (or to no one) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            assigneeId: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string | null;
              stage: string;
              since: string;
              amountFen: number | null;
              assignee: {
                id: string;
                name: string;
              } | null;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/negotiations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One page of the negotiations queue, filtered by stage and assignee */
    get: {
      parameters: {
        query: {
          stage?: 'open';
          /** @description anyone (default), me, unassigned, or a colleague’s id */
          assignee?: 'anyone' | 'me' | 'unassigned' | string;
          offset: number;
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              queue: string;
              stages: string[];
              total: number;
              offset: number;
              limit: number;
              items: {
                id: string;
                subscriberId: string | null;
                stage: string;
                since: string;
                amountFen: number | null;
                assignee: {
                  id: string;
                  name: string;
                } | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/negotiations/assignees': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Colleagues who may work the negotiations queue */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              assignees: {
                id: string;
                name: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/negotiations/{id}/assignee': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Assign an item of the negotiations queue to a colleague (or to no one) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            assigneeId: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string | null;
              stage: string;
              since: string;
              amountFen: number | null;
              assignee: {
                id: string;
                name: string;
              } | null;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/warranty-claims': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One page of the warranty-claims queue, filtered by stage and assignee */
    get: {
      parameters: {
        query: {
          stage?: 'filed' | 'quoted' | 'in-service';
          /** @description anyone (default), me, unassigned, or a colleague’s id */
          assignee?: 'anyone' | 'me' | 'unassigned' | string;
          offset: number;
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              queue: string;
              stages: string[];
              total: number;
              offset: number;
              limit: number;
              items: {
                id: string;
                subscriberId: string | null;
                stage: string;
                since: string;
                amountFen: number | null;
                assignee: {
                  id: string;
                  name: string;
                } | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/warranty-claims/assignees': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Colleagues who may work the warranty-claims queue */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              assignees: {
                id: string;
                name: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/warranty-claims/{id}/assignee': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Assign an item of the warranty-claims queue to a colleague (or to no one) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            assigneeId: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string | null;
              stage: string;
              since: string;
              amountFen: number | null;
              assignee: {
                id: string;
                name: string;
              } | null;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/notice-deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One page of the notice-deliveries queue, filtered by stage and assignee */
    get: {
      parameters: {
        query: {
          stage?: 'failed' | 'dead';
          /** @description anyone (default), me, unassigned, or a colleague’s id */
          assignee?: 'anyone' | 'me' | 'unassigned' | string;
          offset: number;
          limit: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              queue: string;
              stages: string[];
              total: number;
              offset: number;
              limit: number;
              items: {
                id: string;
                subscriberId: string | null;
                stage: string;
                since: string;
                amountFen: number | null;
                assignee: {
                  id: string;
                  name: string;
                } | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/notice-deliveries/assignees': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Colleagues who may work the notice-deliveries queue */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              assignees: {
                id: string;
                name: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/queues/notice-deliveries/{id}/assignee': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Assign an item of the notice-deliveries queue to a colleague (or to no one) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            assigneeId: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string;
              subscriberId: string | null;
              stage: string;
              since: string;
              amountFen: number | null;
              assignee: {
                id: string;
                name: string;
              } | null;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/dashboard/business': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Subscribers by status, new and terminated per month, billed and collected, receivables, overdue, ARPU */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              subscribersByStatus: {
                status: string;
                count: number;
              }[];
              subscriberFlow: {
                month: string;
                joined: number;
                terminated: number;
              }[];
              money: {
                months: {
                  month: string;
                  billedFen: number;
                  collectedFen: number;
                }[];
                receivablesFen: number;
                overdueAccounts: number;
                collectionsFen: number;
                arpuFen: number | null;
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/console/dashboard/operations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Live registrations, calls in progress, and per day the call success rate and measured quality */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              registrations: number;
              callsInProgress: number;
              days: {
                day: string;
                attempts: number;
                answered: number;
                lossPercent: number | null;
                jitterMs: number | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/releases/web': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The released web client build */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              buildId: string;
              /** Format: date-time */
              builtAt: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Problem: {
      type: string;
      title: string;
      status: number;
      code: string;
      detail?: string;
      errors?: {
        /** @description RFC 6901 JSON Pointer into the request: /body/idNumber, /query/limit */
        pointer: string;
        /** @description The pointer without its source, dotted: contact.phone */
        field: string;
        /** @description Stable code a client translates (required, too-long, pattern, …) */
        code: string;
        params?: {
          [key: string]: string | number;
        };
        /** @description English, for machines and logs; not for people */
        message: string;
      }[];
    } & {
      [key: string]: unknown;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
