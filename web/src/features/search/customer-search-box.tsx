import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { TextField } from '../../components/text-field';
import { getJson } from '../../lib/api-client';
import { Link, navigate } from '../../lib/router';
import type { ApiResponse } from '../../types/api';

type SearchAnswer = ApiResponse<'/api/console/search'>;
type SearchResult = SearchAnswer['results'][number];

type SearchState =
  | { status: 'idle' }
  | { status: 'searching'; query: string }
  | { status: 'done'; query: string; results: SearchResult[] }
  | { status: 'error'; query: string; error: unknown };

/** Long enough to skip the keystrokes of a number typed at speed, short enough to feel immediate. */
const DEBOUNCE_MS = 200;
const INPUT_ID = 'customer-search';
const LISTBOX_ID = 'customer-search-results';

export function customerPath(result: SearchResult): string {
  return `/console/customers/${result.subscriberId}`;
}

function searchPath(query: string): string {
  return `/api/console/search?q=${encodeURIComponent(query)}&limit=10`;
}

/** Typing into a field is not a shortcut: "/" there is a character. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
}

/**
 * The console header's search: "/" or Ctrl/⌘+K from anywhere focuses it, results come as one types,
 * and Enter on a single result (or the highlighted one) opens that customer's page: one step.
 */
export function CustomerSearchBox() {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [state, setState] = useState<SearchState>({ status: 'idle' });
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const inputRef = useRef<HTMLInputElement | null>(null);
  // The panel closes a moment after the field loses focus (so a click on a result still lands); a
  // focus or keystroke in that moment keeps it open instead of being undone by the late close.
  const closeTimer = useRef<number | null>(null);
  const keepOpen = useCallback(() => {
    if (closeTimer.current !== null) window.clearTimeout(closeTimer.current);
    closeTimer.current = null;
    setOpen(true);
  }, []);
  useEffect(() => () => window.clearTimeout(closeTimer.current ?? undefined), []);
  const inFlight = useRef<{ query: string; answer: Promise<SearchResult[]>; controller: AbortController } | null>(null);

  const run = useCallback((text: string): Promise<SearchResult[]> => {
    if (inFlight.current?.query === text) return inFlight.current.answer;
    inFlight.current?.controller.abort();
    const controller = new AbortController();
    setState({ status: 'searching', query: text });
    const answer = getJson<SearchAnswer>(searchPath(text), controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) {
          setState({ status: 'done', query: text, results: data.results });
          setActive(-1);
        }
        return data.results;
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', query: text, error });
        return [];
      },
    );
    inFlight.current = { query: text, answer, controller };
    return answer;
  }, []);

  // Results as one types, once the typing pauses.
  useEffect(() => {
    const text = query.trim();
    if (text === '') {
      inFlight.current?.controller.abort();
      inFlight.current = null;
      setState({ status: 'idle' });
      return;
    }
    const timer = window.setTimeout(() => void run(text), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [query, run]);

  // The shortcuts work from anywhere in the console.
  useEffect(() => {
    function onKeyDown(event: globalThis.KeyboardEvent): void {
      const commandK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
      const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTypingTarget(event.target);
      if (!commandK && !slash) return;
      event.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
      keepOpen();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [keepOpen]);

  function go(result: SearchResult): void {
    setOpen(false);
    setQuery('');
    inputRef.current?.blur();
    navigate(customerPath(result));
  }

  const results = state.status === 'done' ? state.results : [];

  async function onKeyDown(event: KeyboardEvent<HTMLInputElement>): Promise<void> {
    if (event.key === 'Escape') {
      setOpen(false);
      inputRef.current?.blur();
    } else if (event.key === 'ArrowDown' && results.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((index) => (index + 1) % results.length);
    } else if (event.key === 'ArrowUp' && results.length > 0) {
      event.preventDefault();
      setActive((index) => (index <= 0 ? results.length - 1 : index - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const highlighted = active >= 0 ? results[active] : undefined;
      if (highlighted) return go(highlighted);
      const text = query.trim();
      if (text === '') return;
      // Enter may come before the pause that starts a search: search now rather than wait for it.
      const found = state.status === 'done' && state.query === text ? state.results : await run(text);
      if (found.length === 1 && inputRef.current?.value.trim() === text) go(found[0]!);
    }
  }

  const showPanel = open && state.status !== 'idle';
  return (
    <div className="customer-search" role="search">
      <TextField
        id={INPUT_ID}
        label={t('customerSearch.label')}
        value={query}
        onValueChange={(value) => {
          setQuery(value);
          keepOpen();
        }}
        ref={inputRef}
        type="search"
        autoComplete="off"
        spellCheck={false}
        maxLength={100}
        placeholder={t('customerSearch.placeholder')}
        title={t('customerSearch.shortcutHint')}
        role="combobox"
        aria-expanded={showPanel}
        aria-controls={LISTBOX_ID}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `${LISTBOX_ID}-${active}` : undefined}
        aria-keyshortcuts="/ Control+K Meta+K"
        onFocus={keepOpen}
        onBlur={() => {
          if (closeTimer.current !== null) window.clearTimeout(closeTimer.current);
          closeTimer.current = window.setTimeout(() => {
            closeTimer.current = null;
            setOpen(false);
          }, 150);
        }}
        onKeyDown={(event) => void onKeyDown(event)}
      />
      {showPanel && (
        <div className="customer-search-panel" data-testid="customer-search-panel">
          {state.status === 'searching' && <p className="muted small">{t('customerSearch.searching')}</p>}
          {state.status === 'error' && <ProblemAlert error={state.error} />}
          {state.status === 'done' && results.length === 0 && <p className="muted small">{t('customerSearch.noMatch')}</p>}
          {results.length > 0 && (
            <ul id={LISTBOX_ID} role="listbox" aria-label={t('customerSearch.resultsLabel')}>
              {results.map((result, index) => (
                <li
                  key={`${result.kind}-${result.billId ?? result.subscriberId}`}
                  id={`${LISTBOX_ID}-${index}`}
                  role="option"
                  aria-selected={index === active}
                  data-testid="customer-search-result"
                >
                  <Link to={customerPath(result)} onMouseDown={(event) => event.preventDefault()} onClick={() => go(result)}>
                    <span className="result-name">{result.maskedName ?? t('customerSearch.noName')}</span>
                    {result.number && <span className="result-number">{result.number}</span>}
                    <span className="badge">{t(`customerSearch.statuses.${result.status}`)}</span>
                    <span className="muted small">
                      {result.kind === 'bill' && result.billPeriod
                        ? t('customerSearch.bill', { period: result.billPeriod.slice(0, 7) })
                        : t(`customerSearch.matchedBy.${result.matchedBy}`)}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
