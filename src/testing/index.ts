/**
 * actioncenter/testing: tools to property-check remediation rules and adapters.
 *
 * @packageDocumentation
 * @module actioncenter/testing
 */
export {};
