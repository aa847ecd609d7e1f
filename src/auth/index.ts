export * from './authorization';
export * from './service-user-pool';
