import type { Core } from "cytoscape";
import { useEffect, useRef } from "preact/hooks";
import { drawPicture, updatePicture } from "../picture.js";
import type { GraphEdge, RelationshipGraph } from "../types.js";
import { Empty } from "./common.js";

const KIND_TEXT: Record<GraphEdge["kind"], string> = {
  share: "snapshot shared",
  copy: "snapshot copied",
  "key-policy": "key usable through its policy",
  "key-grant": "key usable through a grant",
};

/**
 * Who may restore what, whose key another account may use: the picture, and the same arrows as a list (what a
 * screen reader and the keyboard reach; the picture itself is a canvas).
 */
export function RelationshipsView({ graph }: { graph: RelationshipGraph }) {
  const container = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | undefined>(undefined);
  useEffect(() => {
    if (!container.current) return;
    if (!cy.current) cy.current = drawPicture(container.current, graph);
    else updatePicture(cy.current, graph);
  }, [graph]);
  useEffect(() => {
    const resize = () => {
      cy.current?.resize();
      cy.current?.fit(undefined, 40);
    };
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      cy.current?.destroy();
      cy.current = undefined;
    };
  }, []);
  const labelOf = (id: string) => graph.nodes.find((node) => node.id === id);
  const where = (id: string) => {
    const node = labelOf(id);
    if (!node) return id;
    if (node.kind === "account") return `account ${node.label}`;
    return `${node.kind} ${node.label} of ${labelOf(node.parent ?? "")?.label ?? "?"}`;
  };
  return (
    <div class="relationships">
      <p class="legend" aria-hidden="true">
        <span class="swatch share" /> shared snapshot <span class="swatch copy" /> copy <span class="swatch key" /> key
        another account may use (dashed: policy, dotted: grant)
      </p>
      <div
        ref={container}
        class="picture"
        role="img"
        aria-label={`Relationship picture: ${graph.nodes.filter((n) => n.kind === "account").length} accounts, ${graph.edges.length} arrows, listed below`}
        data-testid="picture"
        data-edges={graph.edges.map((edge) => edge.kind).join(" ")}
      />
      <h3>Arrows</h3>
      {graph.edges.length === 0 ? (
        <Empty>Nothing crosses between accounts.</Empty>
      ) : (
        <ul class="edges" data-testid="edges">
          {graph.edges.map((edge) => (
            <li key={edge.id} data-testid="edge" data-kind={edge.kind} class={`edge edge-${edge.kind}`}>
              <span class="kind">{KIND_TEXT[edge.kind]}</span>: {where(edge.from)} → {where(edge.to)} ({edge.label})
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
