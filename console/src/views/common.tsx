import type { ComponentChildren } from "preact";

/** Small pieces every view uses. */

const GOOD = new Set(["available", "Enabled", "done", "finished", "active"]);
const BAD = new Set(["failed", "Disabled", "PendingDeletion", "inaccessible-encryption-credentials", "deleting"]);

/** A status in words (never colour alone): green for settled, red for trouble, amber for on the way. */
export function Status({ value }: { value: string }) {
  const tone = GOOD.has(value) ? "good" : BAD.has(value) ? "bad" : "busy";
  return <span class={`status status-${tone}`}>{value}</span>;
}

export function Section({ title, count, children }: { title: string; count?: number; children: ComponentChildren }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section class="panel" aria-labelledby={id}>
      <h3 id={id}>
        {title}
        {count !== undefined ? <span class="count"> ({count})</span> : null}
      </h3>
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/** A time as the reader's clock shows it, with the exact value on hover and for screen readers. */
export function Time({ value }: { value?: string }) {
  if (!value) return <span>—</span>;
  const date = new Date(value);
  return (
    <time dateTime={value} title={value}>
      {date.toLocaleTimeString()}
    </time>
  );
}

/** The last part of an ARN (`key/…`, `cluster-snapshot:…`), for tight columns; the whole ARN on hover. */
export function ShortArn({ arn }: { arn: string }) {
  const short = arn.split(":").slice(5).join(":") || arn;
  return (
    <span class="arn" title={arn}>
      {short}
    </span>
  );
}

export function Account({ id, highlight }: { id: string; highlight?: boolean }) {
  return <span class={highlight ? "account external" : "account"}>{id}</span>;
}

export interface Column<T> {
  title: string;
  cell: (row: T) => ComponentChildren;
  /** The row's name: a row header for screen readers. */
  rowHeader?: boolean;
}

/** A table that scrolls sideways inside its panel on a narrow window; column headers and a row header for each row. */
export function DataTable<T>(props: {
  testId: string;
  rowTestId?: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T, index: number) => string;
}) {
  return (
    <div class="scroll">
      <table data-testid={props.testId}>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th key={column.title} scope="col">
                {column.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, index) => (
            <tr key={props.rowKey(row, index)} data-testid={props.rowTestId}>
              {props.columns.map((column) =>
                column.rowHeader ? (
                  <th key={column.title} scope="row">
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={column.title}>{column.cell(row)}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
