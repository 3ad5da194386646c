/**
 * The Docker Engine API as packlab sees it: small value types over docker-java, which stays inside
 * this package.
 */
package io.packlab.engine;
