/**
 * Version 1 of the client software licence in English. Our own wording of clause 3 of the service
 * agreement: the software is the provider's, it may be used only to receive the service, lawfully,
 * and it may not be modified, taken apart or copied for redistribution.
 */
export const licenceV1En = `Videophone Client Software Licence (version 1)

This licence is between you and the provider of your videophone service (the "provider": the provider named in the Videophone Service Agreement you signed). It sets out clause 3 of that agreement in detail. Please read it before using the software. By choosing "Accept" you confirm that you have read and agree to it.

1. Ownership
This software (the web softphone, the software in terminals, and their updates) is a product in which the provider and its affiliates hold the intellectual property. The provider licenses the software to you; it does not sell or transfer the software or any right in it.

2. What you may do
The provider grants you a non-exclusive, non-transferable licence, without the right to sublicense, to use the software on your own devices or your organisation's devices only to receive the videophone service the provider supplies under the service agreement. This licence ends when the service agreement ends.

3. Lawful use
You must use the software and the provider's service lawfully and must not use them for any activity that breaks the law or harms the lawful rights of others; otherwise you bear the legal liability.

4. What you may not do
You may not:
(1) modify, translate or adapt the software, or make derivative works from it;
(2) reverse engineer, decompile, disassemble or analyse the software, or otherwise try to obtain its source code;
(3) copy or imitate the software, to any other server or network address, for reproduction or redistribution;
(4) rent, lend, sell, sublicense or otherwise make the software available to anyone else.
Nothing in this section restricts what the law expressly allows.

5. Third-party components
Open-source components in the software are under their own licences; this licence does not limit your rights under those licences.

6. Breach
If you breach this licence, the provider may suspend your service under the service agreement (a suspension for abuse) and may pursue liability under the law.

7. Versions and the record of acceptance
This licence may be revised when the software is updated. Once a new version takes effect, you must read and accept it in the software before you can go on using it. Each time you accept, the provider records the version, the time, a device identifier and your browser's identification (User-Agent), and the digest (SHA-256) of the text you read, as evidence of your acceptance.

8. Other terms
Matters this licence does not cover are governed by the service agreement. This licence is written in Chinese and English, and both texts have equal force.
`;
