export * from './service-domain-name';
