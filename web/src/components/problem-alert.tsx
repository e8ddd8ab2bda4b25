import { ApiProblemError } from '../lib/api-client';
import { useDescribeError } from '../lib/use-describe-error';

export function ProblemAlert({ error, testId }: { error: unknown; testId?: string }) {
  const describe = useDescribeError();
  // Field messages come from the server's validator and are shown as sent: they name the exact field.
  const fieldErrors = error instanceof ApiProblemError ? (error.problem.errors ?? []) : [];
  return (
    <div className="alert alert-error" role="alert" data-testid={testId}>
      <p>{describe(error)}</p>
      {fieldErrors.length > 0 && (
        <ul>
          {fieldErrors.map((fieldError) => (
            <li key={`${fieldError.field}:${fieldError.message}`}>
              <code>{fieldError.field}</code>: {fieldError.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
