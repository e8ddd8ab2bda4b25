import type { ApiResponse } from '../../types/api';

// Shapes of the terms-change and negotiation API (clauses 15 and 16), generated from the server's route schemas.

export type NegotiationCase = ApiResponse<'/api/console/negotiation-cases/{id}'>;

export type CaseStatus = NegotiationCase['status'];

export type CaseSummary = ApiResponse<'/api/console/negotiation-cases'>['cases'][number];

export type AgreementVersionSummary = ApiResponse<'/api/console/agreement-versions'>['versions'][number];

export type PendingTermsChange = ApiResponse<'/api/portal/notices'>['termsChanges'][number];
