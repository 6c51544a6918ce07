/**
 * The indicator taxonomy: a product contract shared by extraction, screening, triage and the
 * simulator (../shared/DOMAIN.md "Indicator taxonomy"). Wording and weights live in content;
 * the codes live here, once.
 */
export const INDICATOR_CODES = [
  'missing_from_home',
  'education_disruption',
  'out_of_area',
  'unexplained_money_goods',
  'multiple_phones',
  'concerning_associates',
  'unexplained_injuries',
  'weapons',
  'drugs_involvement',
  'internal_concealment',
  'debt_bondage',
  'fear_intimidation',
  'behaviour_change',
  'mental_health_self_harm',
  'substance_misuse',
  'hotel_or_unknown_address',
  'arrested_out_of_area',
  'online_grooming',
  'financial_exploitation',
  'cuckooing',
  'county_lines_slang',
  'deal_line_activity',
  'immediate_danger',
] as const;

export type IndicatorCode = (typeof INDICATOR_CODES)[number];
