import type { AccountDoc, KeyDoc, StatementView } from "../types.js";
import { DataTable, Empty, Section, Status, type Column } from "./common.js";

const GRANT_COLUMNS: Column<KeyDoc["grants"][number]>[] = [
  { title: "Grant", rowHeader: true, cell: (g) => g.name ?? g.grantId.slice(0, 12) },
  { title: "Grantee", cell: (g) => <code>{g.grantee}</code> },
  { title: "Operations", cell: (g) => g.operations.join(", ") },
  { title: "Retiring principal", cell: (g) => (g.retiring ? <code>{g.retiring}</code> : "—") },
];

/**
 * KMS keys with their policies: each statement's principals, another account's (or everyone) highlighted and
 * labelled in words, with the actions it allows or denies; and the grants with their grantees and operations.
 */
export function KeysSection({ account }: { account: AccountDoc }) {
  return (
    <Section title="KMS keys" count={account.keys.length}>
      {account.keys.length === 0 ? <Empty>No keys.</Empty> : account.keys.map((key) => <Key key={key.arn} doc={key} />)}
    </Section>
  );
}

function Key({ doc }: { doc: KeyDoc }) {
  return (
    <article class="key" data-testid="key" aria-label={`key ${doc.aliases[0] ?? doc.keyId}`}>
      <h4>
        {doc.aliases.length > 0 ? doc.aliases.join(", ") : doc.keyId} <Status value={doc.state} />
      </h4>
      <p class="muted">
        {doc.manager === "AWS" ? "AWS managed" : "customer managed"} · {doc.spec} · {doc.usage} · {doc.region} ·{" "}
        <code>{doc.keyId}</code>
      </p>
      {doc.description ? <p>{doc.description}</p> : null}
      <h5>Key policy</h5>
      <ol class="statements">
        {doc.policy.map((statement, i) => (
          <Statement key={i} statement={statement} />
        ))}
      </ol>
      <h5>Grants ({doc.grants.length})</h5>
      {doc.grants.length === 0 ? (
        <Empty>No grants.</Empty>
      ) : (
        <DataTable testId="grants" columns={GRANT_COLUMNS} rows={doc.grants} rowKey={(g) => g.grantId} />
      )}
    </article>
  );
}

function Statement({ statement }: { statement: StatementView }) {
  const external = statement.principals.some((p) => p.external);
  return (
    <li class={`statement effect-${statement.effect.toLowerCase()}`} data-testid="statement">
      <p>
        <strong>{statement.sid ?? "(no Sid)"}</strong>: {statement.effect}
        {external && statement.effect === "Allow" ? <span class="tag external"> lets another account in</span> : null}
      </p>
      <p>
        {statement.principalsExcepted ? "everyone except " : ""}
        {statement.principals.length === 0 ? (
          <span class="muted">no principal</span>
        ) : (
          statement.principals.map((principal, i) => (
            <span key={i}>
              {i > 0 ? ", " : ""}
              <code
                class={principal.external ? "principal external" : "principal"}
                data-testid={principal.external ? "external-principal" : "principal"}
              >
                {principal.value}
              </code>
              {principal.external ? (
                <span class="visually-hidden">
                  {" "}
                  (another account{principal.account ? ` ${principal.account}` : ""})
                </span>
              ) : null}
            </span>
          ))
        )}
      </p>
      <p class="actions">
        {statement.actionsExcepted ? "every action except " : ""}
        {statement.actions.map((action) => (
          <code key={action} class="action">
            {action}
          </code>
        ))}
      </p>
      {statement.conditions.length > 0 ? <p class="muted">when {statement.conditions.join("; ")}</p> : null}
    </li>
  );
}
