/**
 * `list` with `item` at the end. A short list becomes a new array of its exact size, because a
 * first push reserves room for 17 elements, and a full sync at 10,000 Services makes about
 * 100,000 chains of only one or two rules each.
 */
export function appendCompact<T>(list: T[], item: T): T[] {
  switch (list.length) {
    case 0: return [item];
    case 1: return [list[0]!, item];
    case 2: return [list[0]!, list[1]!, item];
    default:
      list.push(item);
      return list;
  }
}
