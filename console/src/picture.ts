import cytoscape, { type Core, type ElementDefinition } from "cytoscape";
import type { RelationshipGraph } from "./types.js";

/**
 * The relationship picture, drawn by Cytoscape.js: accounts as boxes (compound nodes) holding the snapshots and
 * keys that reach across, arrows between them. Positions are computed here, not by a force layout, so the picture
 * is the same on every refresh: accounts side by side in a row, their members stacked inside.
 */

const COLUMN = 560;
const ROW = 120;

const ARROW_TEXT = {
  share: "may copy (shared)",
  copy: "copied",
  "key-policy": "may use (key policy)",
  "key-grant": "may use (grant)",
} as const;

const COLOURS = { share: "#1d4ed8", copy: "#047857", "key-policy": "#b45309", "key-grant": "#b45309" } as const;

function elements(graph: RelationshipGraph): ElementDefinition[] {
  const accounts = graph.nodes.filter((node) => node.kind === "account");
  const column = new Map(accounts.map((node, i) => [node.id, i]));
  const rows = new Map<string, number>();
  const out: ElementDefinition[] = [];
  for (const node of graph.nodes) {
    const data = { id: node.id, label: node.label, kind: node.kind, ...(node.parent ? { parent: node.parent } : {}) };
    if (node.kind === "account") {
      const hasMembers = graph.nodes.some((other) => other.parent === node.id);
      out.push({ data, ...(hasMembers ? {} : { position: { x: column.get(node.id)! * COLUMN, y: 0 } }) });
    } else {
      const row = rows.get(node.parent!) ?? 0;
      rows.set(node.parent!, row + 1);
      out.push({ data, position: { x: column.get(node.parent!)! * COLUMN, y: row * ROW } });
    }
  }
  // Short labels on the arrows; the list under the picture says each in full.
  for (const edge of graph.edges)
    out.push({
      data: { id: edge.id, source: edge.from, target: edge.to, label: ARROW_TEXT[edge.kind], kind: edge.kind },
    });
  return out;
}

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-size": 13,
      "text-valign": "center",
      "text-halign": "center",
      "text-wrap": "wrap",
      "text-max-width": "260px",
      "text-overflow-wrap": "anywhere",
      shape: "round-rectangle",
      width: 280,
      height: 56,
      "background-color": "#f1f5f9",
      "border-width": 1,
      "border-color": "#64748b",
      color: "#0f172a",
    },
  },
  {
    selector: 'node[kind = "account"]',
    style: {
      "background-color": "#e0e7ff",
      "border-width": 2,
      "border-color": "#3730a3",
      "font-weight": "bold",
      "text-valign": "top",
      "padding-top": "28px",
      "padding-bottom": "16px",
      "padding-left": "16px",
      "padding-right": "16px",
    } as cytoscape.Css.Node,
  },
  { selector: 'node[kind = "key"]', style: { shape: "tag", "background-color": "#fef3c7" } },
  { selector: 'node[kind = "snapshot"]', style: { shape: "barrel", "background-color": "#dbeafe" } },
  {
    selector: "edge",
    style: {
      label: "data(label)",
      "font-size": 12,
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.9,
      "text-background-padding": "2px",
      "curve-style": "bezier",
      "target-arrow-shape": "triangle",
      "arrow-scale": 1.4,
      width: 3,
      "text-wrap": "wrap",
      "text-max-width": "180px",
    },
  },
  // Arrows that leave the same snapshot bow apart: the share above, the copy below.
  {
    selector: 'edge[kind = "share"]',
    style: { "curve-style": "unbundled-bezier", "control-point-distances": [-60], "control-point-weights": [0.5] },
  },
  {
    selector: 'edge[kind = "copy"]',
    style: { "curve-style": "unbundled-bezier", "control-point-distances": [60], "control-point-weights": [0.5] },
  },
  ...(Object.entries(COLOURS).map(([kind, colour]) => ({
    selector: `edge[kind = "${kind}"]`,
    style: {
      "line-color": colour,
      "target-arrow-color": colour,
      ...(kind === "key-policy" ? { "line-style": "dashed" } : kind === "key-grant" ? { "line-style": "dotted" } : {}),
    },
  })) as cytoscape.StylesheetJson),
];

export function drawPicture(container: HTMLElement, graph: RelationshipGraph): Core {
  return cytoscape({
    container,
    elements: elements(graph),
    style: STYLE,
    layout: { name: "preset", fit: true, padding: 40 },
    userZoomingEnabled: true,
    wheelSensitivity: 0.2,
    boxSelectionEnabled: false,
    autoungrabify: false,
  });
}

/** Puts the new graph in place of the old, keeping the view (zoom and pan) fitted. */
export function updatePicture(cy: Core, graph: RelationshipGraph): void {
  cy.batch(() => {
    cy.elements().remove();
    cy.add(elements(graph));
  });
  cy.layout({ name: "preset", fit: true, padding: 40 }).run();
}
