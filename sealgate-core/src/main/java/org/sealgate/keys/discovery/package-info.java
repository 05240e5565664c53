/**
 * Finding recipients' keys at outside sources (WKD, key servers, LDAP): the James-free contract the policy side
 * calls ({@link org.sealgate.keys.discovery.KeyDiscovery}) and the validation every discovered key passes.
 * The Camel routes that reach the sources live in camel-routes ({@code org.sealgate.routes.discovery}).
 */
package org.sealgate.keys.discovery;
