import { useApiQuery } from '../../lib/use-api-query';
import type { ApiResponse } from '../../types/api';

/** The nav's count of open work in the queues the member may work (hidden when there is none). */
export function QueuesBadge() {
  const { state } = useApiQuery<ApiResponse<'/api/console/queues'>>('/api/console/queues');
  if (state.status !== 'success') return null;
  const open = state.data.queues.reduce((sum, queue) => sum + queue.open, 0);
  if (open === 0) return null;
  return (
    <span className="nav-badge" data-testid="nav-queues-count">
      {open}
    </span>
  );
}
