/**
 * `--eigenaar CODE` for the commands that work on one database: with owners separated
 * (`bronregistratie.eigenaren`) it names the owner whose database that is (bronregistratie/eigenaren.ts).
 */
import { Option } from 'commander';

export const eigenaarOptie = () => new Option('--eigenaar <code>', "with bronregistratie.eigenaren: the owner whose database to use (gemeentecode or AGB code)");
