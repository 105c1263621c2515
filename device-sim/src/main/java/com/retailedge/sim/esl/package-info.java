/**
 * Simulated ESL access points: CoAP servers that take label content ({@code PUT /labels/{labelId}}), hand it to
 * their labels at the next radio check-in and report each label's status to the gateway, over a UDP link with
 * configurable loss and latency. The gateway's tests use the same class (test scope).
 */
package com.retailedge.sim.esl;
