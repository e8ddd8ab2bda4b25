/** Every blank of the agreement, already formatted for the text's language. */
export interface FilledParameters {
  providerName: string;
  providerWebsite: string;
  planName: string;
  monthlyRent: string;
  creditLimit: string;
  lateFeeRate: string;
  warrantyMonths: string;
  outageThresholdHours: string;
  objectionWindowMonths: string;
  arbitrationBody: string;
}
