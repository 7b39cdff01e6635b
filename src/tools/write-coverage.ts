import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../util/project-root.js";
import { coveragePage } from "./coverage.js";

/** `npm run coverage`: writes docs/coverage.md. */
const path = join(projectRoot(), "docs", "coverage.md");
writeFileSync(path, coveragePage());
console.log(`wrote ${path}`);
