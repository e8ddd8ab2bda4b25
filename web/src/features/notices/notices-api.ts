import type { ApiResponse } from '../../types/api';

// Shapes of the notices routes (src/notices/routes.ts), generated from their schemas.

export type NoticeSummary = ApiResponse<'/api/portal/notices'>['notices'][number];

export type NoticeFull = ApiResponse<'/api/portal/notices/{id}'>;

export type NoticeDelivery = ApiResponse<'/api/console/notice-deliveries'>['deliveries'][number];

export type DeliveryStatus = NoticeDelivery['status'];

export const deliveryStatuses: readonly DeliveryStatus[] = ['failed', 'dead', 'pending', 'sent', 'skipped'];
