export * from './donation-line.entity';
export * from './donation.entity';
export * from './donor.entity';
export * from './donations.module';
