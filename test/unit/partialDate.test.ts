import { PartialDateError, comparePartialDates, formatPartialDate, isPartialDate, parsePartialDate } from '../../src/lib/partialDate';

describe('parsePartialDate', () => {
  it('reads a year as the whole calendar year', () => {
    expect(parsePartialDate('2018')).toEqual({ value: '2018', precision: 'year', start: '2018-01-01', end: '2018-12-31' });
  });

  it('reads a month as that month, first to last day', () => {
    expect(parsePartialDate('2018-06')).toEqual({ value: '2018-06', precision: 'month', start: '2018-06-01', end: '2018-06-30' });
    expect(parsePartialDate('2018-12')).toEqual({ value: '2018-12', precision: 'month', start: '2018-12-01', end: '2018-12-31' });
  });

  it('reads a day as that single day', () => {
    expect(parsePartialDate('2018-06-13')).toEqual({ value: '2018-06-13', precision: 'day', start: '2018-06-13', end: '2018-06-13' });
  });

  it('ends February on the 29th in a leap year and on the 28th otherwise', () => {
    expect(parsePartialDate('2020-02').end).toBe('2020-02-29');
    expect(parsePartialDate('2021-02').end).toBe('2021-02-28');
    expect(parsePartialDate('2000-02').end).toBe('2000-02-29');
    expect(parsePartialDate('1900-02').end).toBe('1900-02-28');
    expect(parsePartialDate('2020-02-29').precision).toBe('day');
    expect(parsePartialDate('2020').end).toBe('2020-12-31');
  });

  it('ignores surrounding white space', () => {
    expect(parsePartialDate(' 2018-06 ').value).toBe('2018-06');
  });

  it.each([
    ['2018-13', 'a month that does not exist'],
    ['2018-00', 'month zero'],
    ['2021-02-29', '29 February outside a leap year'],
    ['2018-06-31', '31 June'],
    ['2018-06-00', 'day zero'],
    ['2018-6', 'a one-digit month'],
    ['2018-06-1', 'a one-digit day'],
    ['18', 'a two-digit year'],
    ['0999', 'a year before 1000'],
    ['2018/06/13', 'slashes'],
    ['13 June 2018', 'words'],
    ['2018-06-13T00:00', 'a time of day'],
    ['', 'an empty string'],
    [' ', 'only white space'],
  ])('rejects %j (%s)', (input) => {
    expect(() => parsePartialDate(input)).toThrow(PartialDateError);
    expect(isPartialDate(input)).toBe(false);
  });

  it('accepts what it parses', () => {
    for (const value of ['2018', '2018-06', '2018-06-13', '2020-02-29']) expect(isPartialDate(value)).toBe(true);
  });
});

describe('formatPartialDate', () => {
  it('shows each precision the way a reader says it', () => {
    expect(formatPartialDate('2018')).toBe('2018');
    expect(formatPartialDate('2018-06')).toBe('June 2018');
    expect(formatPartialDate('2018-06-13')).toBe('13 June 2018');
    expect(formatPartialDate('2018-06-01')).toBe('1 June 2018');
  });

  it('shows nothing for a missing date', () => {
    expect(formatPartialDate('')).toBe('');
    expect(formatPartialDate(null)).toBe('');
    expect(formatPartialDate(undefined)).toBe('');
  });
});

describe('comparePartialDates', () => {
  it('orders by first day, the coarser date first on a tie', () => {
    const mixed = ['2018-06-13', '2017', '2018-06-01', '2018-06', '2018', '2017-12-31', '2018-05', '2018-01-01', '2018-01'];
    expect([...mixed].sort(comparePartialDates)).toEqual([
      '2017',
      '2017-12-31',
      '2018',
      '2018-01',
      '2018-01-01',
      '2018-05',
      '2018-06',
      '2018-06-01',
      '2018-06-13',
    ]);
  });

  it('is zero only for the same value and antisymmetric otherwise', () => {
    expect(comparePartialDates('2018-06', '2018-06')).toBe(0);
    expect(Math.sign(comparePartialDates('2018-06', '2018-06-01'))).toBe(-1);
    expect(Math.sign(comparePartialDates('2018-06-01', '2018-06'))).toBe(1);
    expect(Math.sign(comparePartialDates('2019', '2018-12-31'))).toBe(1);
  });
});
