import { BillDetailView } from '../features/billing/portal-bills-page';
import type { BillDetail } from '../features/billing/billing-api';
import { DisputesConsolePage } from '../features/disputes/disputes-console-page';
import type { Staff } from '../types/api';

/**
 * The disputes console with billing's bill card for a bill's evidence: features do not import each
 * other, so the app composes them. The evidence's bill is billing's bill detail as the server sends it.
 */
export function DisputesConsole({ staff }: { staff: Staff }) {
  return <DisputesConsolePage staff={staff} renderBill={(bill) => <BillDetailView bill={bill as BillDetail} />} />;
}
