import type { ReactNode } from 'react';
import { describeError, errorField } from '../api/errors';

/** An API error as a sentence, announced to screen readers. Nothing when there is no error. */
export function ErrorNotice({ error, unlessField }: { error: unknown; unlessField?: readonly string[] }) {
  if (error === undefined || error === null) return null;
  // Errors about one input are shown beside it instead.
  const field = errorField(error);
  if (field && unlessField?.includes(field)) return null;
  return (
    <p className="notice notice-error" role="alert">
      {describeError(error)}
    </p>
  );
}

/** The error for one input, when the API named it. */
export function fieldError(error: unknown, ...names: string[]): string | undefined {
  const field = errorField(error);
  return field && names.includes(field) ? describeError(error) : undefined;
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** A short confirmation that something was done, read out once. */
export function Done({ children }: { children: ReactNode }) {
  return (
    <p className="notice notice-done" role="status">
      {children}
    </p>
  );
}
