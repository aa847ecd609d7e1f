/** What an aspect does with a resource that does not follow its policy. */
export enum AspectMode {
  /** Fix the resource. */
  APPLY = 'apply',
  /** Leave the resource as it is and report an error on it. */
  AUDIT = 'audit',
}
