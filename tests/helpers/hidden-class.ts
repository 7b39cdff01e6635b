import { setFlagsFromString } from "node:v8";

/**
 * Whether V8 gives `x` and `y` the same hidden class (map): V8's own answer, through a natives-syntax call (allowed
 * here before the function is compiled). An object with a map of its own costs a map, a descriptor array and an
 * enum cache in the old generation, and makes every read of its members megamorphic.
 */
export function sameHiddenClass(x: object, y: object): boolean {
  return haveSameMap()(x, y);
}

let compiled: ((x: object, y: object) => boolean) | undefined;
function haveSameMap() {
  if (!compiled) {
    setFlagsFromString("--allow-natives-syntax");
    compiled = new Function("x", "y", "return %HaveSameMap(x, y)") as (x: object, y: object) => boolean;
  }
  return compiled;
}
