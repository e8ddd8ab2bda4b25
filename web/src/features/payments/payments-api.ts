import type { ApiBody, ApiResponse } from '../../types/api';

// Shapes of online payment's portal routes (src/payments/routes/portal.ts). Amounts are integer fen.

export type PaymentIntent = ApiResponse<'/api/portal/payments/{id}'>;

export type PaymentOptions = ApiResponse<'/api/portal/payments/options'>;

export type NewPayment = ApiBody<'/api/portal/payments', 'post'>;

export type PaymentPurpose = NewPayment['purpose'];
