/**
 * A pure one-argument function that remembers its answers: pages and charts ask for the same
 * few dates, jurisdiction names and link hosts hundreds of times, and parsing them (date-fns,
 * Intl, URL) is not cheap. Bounded: past `max` answers it starts afresh. Only returned answers
 * are kept; a call that throws throws again next time.
 */
export function remembered<A, R>(fn: (arg: A) => R, max = 10_000): (arg: A) => R {
  const answers = new Map<A, R>();
  return (arg) => {
    if (answers.has(arg)) return answers.get(arg) as R;
    const answer = fn(arg);
    if (answers.size >= max) answers.clear();
    answers.set(arg, answer);
    return answer;
  };
}
