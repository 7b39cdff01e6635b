import type { MigrationSummary, MigrationView, StepView } from "../types.js";
import { href } from "../route.js";
import { Empty, Section, Status, Time } from "./common.js";

/** The journals found (and the demo's run): pick one to see its timeline. */
export function MigrationsView(props: {
  migrations: MigrationSummary[];
  selected?: string;
  migration?: MigrationView;
}) {
  return (
    <div class="migrations">
      <nav aria-label="Migrations" class="migration-list">
        <h2 tabIndex={-1}>Migrations</h2>
        {props.migrations.length === 0 ? (
          <Empty>No journal found. `trident migrate apply` writes one in .trident/migrations (see --journals).</Empty>
        ) : (
          <ul class="plain">
            {props.migrations.map((m) => (
              <li key={m.id}>
                <a
                  href={href({ view: "migrations", migrationId: m.id })}
                  aria-current={m.id === props.selected ? "page" : undefined}
                  data-testid="migration-link"
                >
                  {m.error
                    ? `${m.file}: ${m.error}`
                    : `${m.source?.cluster ?? m.source?.snapshot} (${m.source?.account}) → ${m.target?.cluster} (${m.target?.account})`}
                </a>
                {m.watched ? <span class="tag"> watched run</span> : null}
              </li>
            ))}
          </ul>
        )}
      </nav>
      {props.selected ? (
        props.migration ? (
          <Timeline migration={props.migration} />
        ) : (
          <p aria-live="polite">Loading…</p>
        )
      ) : props.migrations.length > 0 ? (
        <p>Pick a migration to see its timeline.</p>
      ) : null}
    </div>
  );
}

const duration = (ms?: number) => (ms === undefined ? "" : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

function Timeline({ migration }: { migration: MigrationView }) {
  const longest = Math.max(1, ...migration.runs.flatMap((run) => run.steps.map((s) => s.durationMs ?? 0)));
  return (
    <div class="timeline" data-testid="timeline">
      <h2>
        {migration.source?.cluster ?? migration.source?.snapshot} of {migration.source?.account} →{" "}
        {migration.target?.cluster} in {migration.target?.account} ({migration.region})
      </h2>
      {migration.error ? <p class="bad">{migration.error}</p> : null}
      {migration.runs.map((run, i) => (
        <Section key={run.startedAt} title={`Run ${i + 1}`}>
          <p class="muted">
            <Time value={run.startedAt} /> – <Time value={run.endedAt} /> · <Status value={run.outcome} />
          </p>
          <ol class="steps" data-testid="steps">
            {run.steps.map((step) => (
              <Step key={step.id} step={step} longest={longest} />
            ))}
          </ol>
        </Section>
      ))}
      <Section title="Walls" count={migration.walls.length}>
        {migration.walls.length === 0 ? (
          <Empty>
            {migration.watched ? "No wall was hit." : "Walls are known for runs the console watched (the demo's)."}
          </Empty>
        ) : (
          <ul class="walls" data-testid="walls">
            {migration.walls.map((wall) => (
              <li key={`${wall.rule.id}-${wall.at}`} data-testid="wall">
                <p>
                  <abbr class="rule" title={wall.rule.text}>
                    {wall.rule.id}
                  </abbr>{" "}
                  {wall.attempt}
                </p>
                <p>
                  refused: <code>{wall.code}</code>
                  {wall.status ? ` (HTTP ${wall.status})` : ""}: {wall.message}
                </p>
                <p class="muted">
                  passed by {wall.passedBy ? <strong>{wall.passedBy}</strong> : "the following step"}: {wall.rule.text}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Section>
      {migration.cleanup.length > 0 ? (
        <Section title="Cleanup" count={migration.cleanup.length}>
          <ul class="plain">
            {migration.cleanup.map((c, i) => (
              <li key={i}>
                <Time value={c.at} /> {c.action} {c.detail ?? ""}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </div>
  );
}

function Step({ step, longest }: { step: StepView; longest: number }) {
  const width = step.durationMs !== undefined ? Math.max(2, Math.round((100 * step.durationMs) / longest)) : 0;
  return (
    <li class={`step step-${step.state}`} data-testid="step" data-step={step.id} data-state={step.state}>
      <div class="step-head">
        <Status value={step.state} /> <strong>{step.title}</strong>
        {step.rules.map((rule) => (
          <abbr key={rule.id} class="rule" title={rule.text}>
            {rule.id}
          </abbr>
        ))}
      </div>
      <div class="step-time">
        <Time value={step.startedAt} /> – <Time value={step.endedAt} /> {duration(step.durationMs)}
        <span class="bar" style={{ width: `${width}%` }} aria-hidden="true" />
      </div>
      {step.rules.length > 0 ? (
        <ul class="rule-texts">
          {step.rules.map((rule) => (
            <li key={rule.id}>
              {rule.id}: {rule.text}
            </li>
          ))}
        </ul>
      ) : null}
      {step.events.some((e) => e.detail) ? (
        <p class="muted">
          {step.events
            .filter((e) => e.detail)
            .map((e) => `${e.event}: ${e.detail}`)
            .join(" · ")}
        </p>
      ) : null}
    </li>
  );
}
