/** The tests use the product's one seeded generator (the demo's graph is made with it too). */
export { seededRandom, type SeededRandom } from "../../src/util/random.js";
