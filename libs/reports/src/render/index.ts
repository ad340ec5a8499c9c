export * from './donor-thanks.pdf';
export * from './monthly-report.pdf';
export * from './monthly-report.xlsx';
