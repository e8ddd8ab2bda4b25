import type { FilledParameters } from './filled-parameters.js';

/**
 * Version 2 of the service agreement in English. Our own wording, following the operator's 18 clauses.
 * Changes from version 1: clause 15 says where and by when to object (the last day counted on the
 * provider's calendar) and that an objection opens a negotiation; clause 16 says a negotiation is a
 * case both parties can read and add to.
 */
export function agreementV2En(p: FilledParameters): string {
  return `Videophone Service Agreement (version 2)

Provider: ${p.providerName}
Subscriber: the subscriber named in the signature record of this agreement

The subscriber asks to use the provider's videophone service. Under the laws and regulations in force, the parties agree as follows.

1. Subscriber data
The subscriber gives true data: full name (an organisation's registered name), date of birth, address, identity document type and number, employer and contact telephone. If the data is false or incomplete, the provider may ask for a copy of the identity document (an organisation's business licence), may suspend the service where necessary, and may pursue liability under the law. The provider uses this data only to provide the service under this agreement and does not disclose it to third parties without the subscriber's consent, except where the law requires.

2. Services and prices
The services and their prices are those published at ${p.providerWebsite}. The order created when the subscriber applied is an annex to this agreement and has the same force. Plan chosen: ${p.planName}; monthly rent: ${p.monthlyRent}; credit limit: ${p.creditLimit}.

3. Lawful use and client software
The subscriber uses the service lawfully and bears the consequences of any unlawful use. The client software is provided only for using this service; the subscriber does not modify it, reverse engineer it, seek its source code, or copy, republish or distribute it.

4. Terminals and warranty
Terminals are built to industry standards and are warranted free of defects in materials and workmanship for ${p.warrantyMonths} months from delivery. Damage in transit is covered; damage from accidents, misuse, opening the device, power problems, use against instructions or connection to equipment not supplied by the provider is not. The subscriber notifies the provider's technical support in writing within the warranty period; the provider chooses to repair or replace. Replaced parts belong to the provider, repair or replacement does not extend the original warranty, and the provider's liability for hardware is limited to repair or replacement. The warranty ends if the terminal is opened without authorisation.

5. Payment, late fees, suspension and termination
The subscriber pays the service charges in full by the due date. Late payment incurs, besides the arrears, a late fee of ${p.lateFeeRate} of the unpaid amount per day. After more than one month overdue the provider may suspend the service; after more than three months it may terminate the service and recover the arrears and late fees.

6. Disputed charges
If the subscriber disputes a charge, the provider investigates, explains and corrects it where it is wrong.

7. Network changes
To improve quality the provider may expand, adjust or upgrade its network and announces this in advance by service notice or otherwise. The provider is not liable for interruptions or number changes this causes.

8. Automatic upgrades
When a new client version is released the provider upgrades the subscriber's software automatically; the subscriber agrees to this.

9. Credit limit
The subscriber keeps usage within budget. When a month's charges exceed the chosen credit limit (${p.creditLimit}), the provider may suspend part or all of the service until the charges incurred are paid.

10. Secrecy of communication and judicial suspension
The provider protects the subscriber's freedom and secrecy of communication under the law. When a judicial authority lawfully requires assistance for national security or a criminal investigation, the provider may suspend the service; the monthly rent remains payable during that suspension.

11. Leaving the service
When the subscriber asks to stop the service, this agreement ends once all charges are settled.

12. Internet conditions
This is a value-added internet service. The provider is not liable for failed calls, interruptions or unstable picture and sound caused by internet conditions.

13. Limits of liability
The provider is not liable for acts or omissions of other service providers or third parties, nor for interruptions, limitations or breaks of service shorter than ${p.outageThresholdHours} consecutive hours. The liability of the provider and its suppliers for any fault is limited to the service charges for the affected period and excludes incidental, punitive or consequential damages such as lost profits.

14. Force majeure
Neither party is liable where force majeure (natural disasters such as earthquakes and floods, war and the like) or government action prevents performance in whole or in part.

15. Changes to this agreement
The provider announces changes by service notice in the subscriber portal, stating what changes and from when. A subscriber who objects tells the provider in the portal or in writing, giving reasons, by the end of the same calendar day ${p.objectionWindowMonths} month(s) after the notice (or the month's last day if it has no such day), counted in the provider's local time. An objection opens a negotiation under clause 16. A subscriber who has not objected by then is deemed to know and accept the change, which applies to them from its effective date.

16. Disputes
Disputes under this agreement are settled by negotiation, recorded as a negotiation case that both parties can read and add to, or may be submitted directly to ${p.arbitrationBody} for arbitration.

17. Effect
This agreement takes effect when the subscriber signs it electronically and the provider applies its electronic seal. The signature record states the time, the IP address and the hash of the exact text; both parties may download the signed copy, and every copy has the same force.

18. Interpretation
This agreement is interpreted by the provider.
`;
}
