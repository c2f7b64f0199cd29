/** A configuration error found before anything runs (bad resume file, nothing to run). */
export class CampaignError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CampaignError';
  }
}
