export { CsvParser, parseCsv } from './csv.ts';
