import type { NegotiationCase } from '../../components/case-history';
import type { ApiResponse } from '../../types/api';

// Shapes of the terms-change and negotiation API (clauses 15 and 16), generated from the server's route schemas.

export type { NegotiationCase };

export type CaseStatus = NegotiationCase['status'];

export type CaseSummary = ApiResponse<'/api/console/negotiation-cases'>['cases'][number];

export type AgreementVersionSummary = ApiResponse<'/api/console/agreement-versions'>['versions'][number];
