import type { AccountDoc, ClusterDoc, SnapshotDoc } from "../types.js";
import { DataTable, Empty, Section, ShortArn, Status, Time, type Column } from "./common.js";
import { KeysSection } from "./keys.js";

/** One account in full: clusters, snapshots, keys, IAM and recent events. */

const CLUSTER_COLUMNS: Column<ClusterDoc>[] = [
  { title: "Cluster", rowHeader: true, cell: (c) => c.id },
  { title: "Status", cell: (c) => <Status value={c.status} /> },
  {
    title: "Instances (role, status)",
    cell: (c) =>
      c.instances.length === 0 ? (
        <span class="muted">no instances</span>
      ) : (
        <ul class="plain">
          {c.instances.map((instance) => (
            <li key={instance.id}>
              {instance.id} ({instance.role}, {instance.instanceClass}) <Status value={instance.status} />
            </li>
          ))}
        </ul>
      ),
  },
  { title: "Encryption key", cell: (c) => (c.kmsKeyId ? <ShortArn arn={c.kmsKeyId} /> : "not encrypted") },
  {
    title: "Endpoints",
    cell: (c) => (
      <>
        <code>{c.endpoint}</code>
        <br />
        <span class="muted">reader</span> <code>{c.readerEndpoint}</code>
      </>
    ),
  },
  { title: "Graph", cell: (c) => <GraphSummary cluster={c} /> },
  { title: "Region", cell: (c) => c.region },
];

/** The cluster's graph summary: counts and names only (the read API never carries property values). */
function GraphSummary({ cluster }: { cluster: ClusterDoc }) {
  const { graph } = cluster;
  if (!graph) return <span class="muted">{cluster.graphUnavailable ?? "no graph"}</span>;
  return (
    <div data-testid="graph-summary">
      <span data-testid="graph-nodes">{graph.nodes}</span> nodes, {graph.relationships} relationships
      <br />
      <span class="muted">labels</span> {counted(graph.nodeLabels)}
      <br />
      <span class="muted">relationship types</span> {counted(graph.relationshipTypes)}
    </div>
  );
}

const counted = (names: { name: string; count: number }[]) =>
  names.map(({ name, count }) => `${name} (${count})`).join(", ") || "none";

const SNAPSHOT_COLUMNS: Column<SnapshotDoc>[] = [
  { title: "Snapshot", rowHeader: true, cell: (s) => s.id },
  { title: "Type", cell: (s) => s.type },
  { title: "Status", cell: (s) => <Status value={s.status} /> },
  {
    title: "Progress",
    cell: (s) => (
      <>
        <progress max={100} value={s.percentProgress} aria-label={`${s.id} progress`} /> {s.percentProgress}%
      </>
    ),
  },
  { title: "Shared with", cell: (s) => <span data-testid="shared-with">{s.sharedWith.join(", ") || "nobody"}</span> },
  { title: "Copied from", cell: (s) => (s.copiedFrom ? <ShortArn arn={s.copiedFrom} /> : "—") },
  { title: "Key", cell: (s) => (s.kmsKeyId ? <ShortArn arn={s.kmsKeyId} /> : "not encrypted") },
];

const EVENT_COLUMNS: Column<AccountDoc["events"][number]>[] = [
  { title: "Time", cell: (e) => <Time value={e.at} /> },
  { title: "Source", cell: (e) => `${e.sourceType} ${e.sourceId}` },
  { title: "Message", cell: (e) => e.message },
];

/** A titled table of an account's resources, or a line saying there are none. */
function TableSection<T>({
  title,
  none,
  ...table
}: { title: string; none: string } & Parameters<typeof DataTable<T>>[0]) {
  return (
    <Section title={title} count={table.rows.length}>
      {table.rows.length === 0 ? <Empty>{none}</Empty> : <DataTable {...table} />}
    </Section>
  );
}

export function AccountView({ account }: { account: AccountDoc | undefined }) {
  if (!account) return <Empty>This account holds no state.</Empty>;
  return (
    <div class="account-view" data-testid="account-view" data-account={account.accountId}>
      <h2 tabIndex={-1}>Account {account.accountId}</h2>
      <p class="muted">Regions: {account.regions.join(", ") || "none (IAM only)"}</p>
      <TableSection
        title="Clusters"
        none="No clusters."
        testId="clusters"
        rowTestId="cluster-row"
        columns={CLUSTER_COLUMNS}
        rows={account.clusters}
        rowKey={(c) => c.arn}
      />
      <TableSection
        title="Snapshots"
        none="No snapshots."
        testId="snapshots"
        rowTestId="snapshot-row"
        columns={SNAPSHOT_COLUMNS}
        rows={account.snapshots}
        rowKey={(s) => s.arn}
      />
      <KeysSection account={account} />
      <Section title="IAM" count={account.iam.users.length + account.iam.roles.length}>
        <div class="columns">
          <div>
            <h4>Users</h4>
            {account.iam.users.length === 0 ? (
              <Empty>No users.</Empty>
            ) : (
              <ul class="plain" data-testid="iam-users">
                {account.iam.users.map((user) => (
                  <li key={user.arn}>
                    <strong>{user.name}</strong> · {user.accessKeys} access key{user.accessKeys === 1 ? "" : "s"}
                    {user.groups.length > 0 ? ` · groups ${user.groups.join(", ")}` : ""}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <h4>Roles</h4>
            {account.iam.roles.length === 0 ? (
              <Empty>No roles.</Empty>
            ) : (
              <ul class="plain" data-testid="iam-roles">
                {account.iam.roles.map((role) => (
                  <li key={role.arn}>
                    <strong>{role.name}</strong>
                    {role.trustedAccounts.length > 0 ? ` · assumable from ${role.trustedAccounts.join(", ")}` : ""}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      </Section>
      <Section title="Recent events" count={account.events.length}>
        {account.events.length === 0 ? (
          <Empty>No events in the last hour.</Empty>
        ) : (
          <DataTable testId="events" columns={EVENT_COLUMNS} rows={account.events} rowKey={(e, i) => `${e.at}-${i}`} />
        )}
      </Section>
    </div>
  );
}
